"""The catalog names a community's owners by the community, never one by one (issue 18: a bind in
a 10,000-unit community must not reindex it): a bind writes no index, and the owner then finds
what the owners there may see."""
import webtest
from ZODB.utils import get_pickle_metadata, p64, u64

from portal.catalog import facts, query
from tests.binding_helpers import bind_form, issue_letter, reveal, sign_up, some_owner
from tests.conftest import sign_in
from tests.test_workflow_admin import editor, save, tick

COMMUNITY = "/tianhe/shipai/mingyuan"
DRAFT = COMMUNITY + "/ballots/b1"


def written_since(db, serial):
    """The (module, class) of every object the transactions after ``serial`` stored."""
    start = p64(u64(serial) + 1)
    return {get_pickle_metadata(record.data) for txn in db.storage.iterator(start) for record in txn
            if record.data}


def test_owners_are_named_by_their_community():
    from portal.content.models import Community

    class City:
        __parent__ = None

    community = Community("明苑小区")
    community.__name__, community.__parent__ = "mingyuan", City()
    community.local_roles["u-owner"] = ("owner",)
    community.local_roles["u-org"] = ("organizer",)

    class Ballot:
        type_name, __name__, __parent__ = "Ballot", "b1", community

        def permission_roles(self):
            return {"view": ("owner", "organizer")}

    assert facts.allowed(Ballot(), ()) == [facts.owners_of("/mingyuan"), "uid:u-org"]


def test_a_bind_writes_no_index_and_the_owner_then_finds_what_owners_may_see(app, as_role, portal_in, db):
    form = editor(as_role("admin"))
    tick(form, "draft", "view", "owner")                    # owners may now see drafts: b1 is one
    save(form).follow()
    street = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(street, "street")
    unit_id, index, owner = some_owner(portal_in, 9)
    name, number = reveal(app, owner)
    code = issue_letter(street, unit_id, index)
    client = sign_up(app, "13712349999")
    assert DRAFT not in visible_to(app, portal_in, "13712349999")
    serial = db.lastTransaction()
    assert bind_form(client, name, number, code=code).status_int == 302
    written = written_since(db, serial)
    assert not [m for m, _c in written if m.startswith(("hypatia", "portal.catalog", "portal.search"))], written
    assert DRAFT in visible_to(app, portal_in, "13712349999")      # through the catalog, as one of the owners


def visible_to(app, portal_in, phone):
    from portal.binding.signup_views import login_for

    class Request:
        pass

    with portal_in() as portal:
        request = Request()
        request.identity = portal.accounts.by_login(login_for(app.registry.personal_data, phone))
        assert request.identity is not None
        return query.paths(portal, type_name="Ballot", principals=query.principals_of(request))



def test_a_bind_writes_no_role_on_the_community_yet_makes_an_owner_there(app, portal_in, db):
    """The owner role follows from the binding (``account.communities``): a bind writes nothing
    into the community's local roles, which every bind in it used to rewrite, and unbinding
    takes the role away."""
    from portal import clock
    from portal.binding import service
    from portal.security.localroles import effective_roles
    from portal.security.accounts import OWNER, Account

    with portal_in(commit=True) as portal:
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        id_hash = next(h for h in register.identity_index.keys() if h not in register.bindings)
        account = portal.accounts.add(Account("late-binder", "业主", "unused-password", kind=OWNER))
        uid = account.uid
        untouched = {community._p_oid, community.local_roles._p_oid}
    serial = db.lastTransaction()
    with portal_in(commit=True) as portal:
        community = portal["tianhe"]["shipai"]["mingyuan"]
        service.bind(community, portal.accounts.get(uid), id_hash, "code", clock.now())
    start = p64(u64(serial) + 1)
    written = {record.oid for txn in db.storage.iterator(start) for record in txn}
    assert written and not untouched & written
    with portal_in(commit=True) as portal:
        community = portal["tianhe"]["shipai"]["mingyuan"]
        assert uid not in community.local_roles
        assert "owner" in effective_roles(community["ballots"]["b2"], uid)
        assert "owner" not in effective_roles(portal["tianhe"]["shipai"]["qiaoyuan"], uid)
        service.unbind(community, portal.accounts.get(uid), clock.now())
    with portal_in() as portal:
        assert "owner" not in effective_roles(portal["tianhe"]["shipai"]["mingyuan"], uid)


def test_an_older_database_loses_the_stored_owner_grants_and_keeps_its_owners(app, portal_in, db):
    """Evolve 0036: owner grants stored on communities go; an account bound in a register but
    missing the community from its list gets it, so nobody bound stops being an owner."""
    from portal import evolve
    from portal.security.localroles import effective_roles

    with portal_in(commit=True) as portal:
        community = portal["tianhe"]["shipai"]["mingyuan"]
        owner1 = portal.accounts.by_login("owner1")
        community.local_roles[owner1.uid] = ("owner",)                    # as binding stored it
        organizer = next(uid for uid, held in community.local_roles.items() if "organizer" in held)
        community.local_roles[organizer] = ("organizer", "owner")
        owner1.communities = ()                                           # the list never made
        uid = owner1.uid
        del portal.evolved["0036-owner-role-from-binding"]
    assert evolve.run_pending(db) == ["0036-owner-role-from-binding"]
    with portal_in() as portal:
        community = portal["tianhe"]["shipai"]["mingyuan"]
        assert uid not in community.local_roles
        assert community.local_roles[organizer] == ("organizer",)
        assert portal.accounts.get(uid).communities == ("/tianhe/shipai/mingyuan",)
        assert "owner" in effective_roles(community["ballots"]["b2"], uid)
