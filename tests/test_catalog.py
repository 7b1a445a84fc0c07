"""The catalog agrees with a full walk of the tree after random edits, through every event that
changes an indexed fact; and the facts it keeps, one by one."""
import datetime
import random

import pytest
import transaction

from portal import clock
from portal.ballots import lifecycle, services as ballots
from portal.bootstrap import ROOT_KEY
from portal.catalog import facts, indexing, query
from portal.content.models import Community, Street
from portal.security import localroles
from portal.security.accounts import Account
from portal.workflow import engine, registry
from tests.catalog_helpers import differences, query_differences, visibility_differences
from tests.test_workflow_admin import editor, save, tick

ROLES_ON = {"District": "district", "Street": "street", "Community": "organizer"}


def matters():
    return [{"title": "事项", "text": "全文", "category": 9}]


class City:
    """Random edits on the portal, each as a real change sends its events."""

    def __init__(self, portal, rng):
        self.portal, self.rng, self.n, self.published_documents = portal, rng, 0, 0
        self.uids = [portal.accounts.add(Account(f"cat-{n}", f"编目{n}", "pw")).uid for n in range(3)]

    def nodes(self, type_name):
        return [o for o in _walk(self.portal) if o.type_name == type_name]

    def add_community(self):
        street = self.rng.choice(self.nodes("Street"))
        self.n += 1
        street.add(f"cat-c{self.n}", Community(f"编目小区{self.n}"))

    def add_street(self):
        district = self.rng.choice(self.nodes("District"))
        self.n += 1
        district.add(f"cat-s{self.n}", Street(f"编目街道{self.n}"))

    def add_ballot(self):
        community = self.rng.choice(self.nodes("Community"))
        start = clock.now().date() + datetime.timedelta(days=self.rng.randint(16, 20))
        ballots.create(community["ballots"], {"title": "编目表决", "start_date": start,
                                               "end_date": start + datetime.timedelta(days=3),
                                               "matters": matters()}, "", clock.now())

    def add_document(self):
        from portal.documents import service as documents

        community = self.rng.choice(self.nodes("Community"))
        values = {"doc_type": "rules_of_procedure", "title": "议事规则", "filing_number": f"备{self.n}",
                  "filing_date": clock.now().date()}
        documents.create(community["documents"], values, "r.pdf", b"%PDF-1.4 rules", "", clock.now())

    def edit_document(self):
        from portal.documents import service as documents

        found = self.nodes("Document")
        if found:
            document = self.rng.choice(found)
            values = {"title": "议事规则（修订）", "filing_number": "备改", "filing_date": clock.now().date()}
            documents.new_version(document, "r2.pdf", b"%PDF-1.4 again", values, "", clock.now())

    def publish_document(self):
        found = [d for d in self.nodes("Document") if d.state == "draft"]
        if found:
            document = self.rng.choice(found)
            engine.fire(document.definition(), document, "publish", "", clock.now())
            self.published_documents += 1

    def fire(self):
        found = self.nodes("Ballot") + self.nodes("Document")
        if not found:
            return
        obj = self.rng.choice(found)
        choices = [tid for tid, t in obj.definition()["transitions"].items()
                   if obj.state in t["from"] and t.get("permission")]
        if choices:
            try:
                if obj.type_name == "Ballot":
                    lifecycle.fire(obj, self.rng.choice(choices), "", clock.now(), comment="编目")
                else:
                    engine.fire(obj.definition(), obj, self.rng.choice(choices), "", clock.now(), comment="编目",
                                guards=lifecycle.GUARDS)
                    self.published_documents += obj.state == "published"
            except engine.TransitionRefused:
                pass

    def edit_dates(self):
        found = [b for b in self.nodes("Ballot") if b.state == "draft"]
        if found:
            ballot = self.rng.choice(found)
            values = ballots.current_values(ballot)
            values["start_date"] = ballot.start_date + datetime.timedelta(days=self.rng.randint(1, 5))
            values["end_date"] = values["start_date"] + datetime.timedelta(days=2)
            ballots.edit(ballot, values, clock.now())

    def role(self):
        kind = self.rng.choice(sorted(ROLES_ON))
        node = self.rng.choice(self.nodes(kind))
        uid = self.rng.choice(self.uids)
        if self.rng.random() < 0.6:
            localroles.grant(node, uid, ROLES_ON[kind])
        else:
            for held in list(localroles.granted_here(node, uid)):
                localroles.revoke(node, uid, held)

    def edit_workflow(self):
        definition = registry.parse(registry.dump(self.portal.workflows["ballot"]))
        view = definition["states"]["draft"]["permissions"]["view"]
        role = self.rng.choice(["owner", "authenticated", "district"])
        definition["states"]["draft"]["permissions"]["view"] = sorted(set(view) ^ {role}) or ["admin"]
        registry.save(self.portal, "ballot", definition)
        indexing.reindex_workflow(self.portal, "ballot")     # what the editor's save does

    def remove(self):
        found = self.nodes("Ballot") + self.nodes("Document") + self.nodes("Community")[3:]
        if found:
            obj = self.rng.choice(found)
            obj.__parent__.remove(obj.__name__)

    def tick(self):
        clock.advance(days=self.rng.randint(1, 12))
        for ballot in self.nodes("Ballot"):
            lifecycle.catch_up(ballot, clock.now())

    EDITS = ("add_community", "add_street", "add_ballot", "add_ballot", "add_document", "edit_document",
             "publish_document",
             "fire", "fire", "fire", "edit_dates",
             "role", "role", "edit_workflow", "remove", "tick")


def _walk(portal):
    from tests.catalog_helpers import walk

    return list(walk(portal).values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_catalog_agrees_with_a_walk_after_random_edits(db, seed):
    rng = random.Random(seed)
    clock.set_now(datetime.datetime(2026, 3, 2, 2, 0, tzinfo=clock.UTC))
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    try:
        with tm:
            city = City(conn.root()[ROOT_KEY], rng)
        for step in range(60):
            with tm:
                portal = conn.root()[ROOT_KEY]
                city.portal = portal
                for _ in range(rng.randint(1, 3)):
                    getattr(city, rng.choice(City.EDITS))()
                if step % 7 == 0:       # read inside the transaction: queries see its own edits
                    assert differences(portal) == []
            with tm:
                portal = conn.root()[ROOT_KEY]
                assert differences(portal) == [], f"after step {step}"
        with tm:
            portal = conn.root()[ROOT_KEY]
            assert visibility_differences(portal, city.uids + [a.uid for a in portal.accounts.values()][:6]) == []
            assert query_differences(portal) == []
            assert len(query.paths(portal, type_name="Ballot")) > 3      # the run did make ballots
            assert city.published_documents > 0             # and published documents on the way
    finally:
        conn.close()


def test_removing_a_community_forgets_everything_below_it(portal_in):
    with portal_in(commit=True) as portal:
        ballots_before = query.paths(portal, type_name="Ballot", under="/tianhe/shipai/mingyuan")
        assert ballots_before
        portal["tianhe"]["shipai"].remove("mingyuan")
    with portal_in() as portal:
        assert query.paths(portal, under="/tianhe/shipai/mingyuan") == []
        assert differences(portal) == []


def test_a_grant_on_the_city_reaches_every_draft_below_it(portal_in):
    with portal_in(commit=True) as portal:
        uid = portal.accounts.add(Account("cat-admin", "编目管理员", "pw")).uid
        draft = "/tianhe/shipai/mingyuan/ballots/b1"
        assert draft not in query.paths(portal, principals=["uid:" + uid])
        localroles.grant(portal, uid, "admin")
    with portal_in(commit=True) as portal:
        assert draft in query.paths(portal, principals=["uid:" + uid])
        localroles.revoke(portal, uid, "admin")
    with portal_in() as portal:
        assert draft not in query.paths(portal, principals=["uid:" + uid])


def test_a_workflow_edit_through_the_form_reindexes_who_may_view(as_role, portal_in):
    owners = {facts.owners_of("/tianhe/shipai/mingyuan")}         # the community's owners, named together
    with portal_in() as portal:
        assert not set(query.paths(portal, principals=sorted(owners)))
    form = editor(as_role("admin"))
    tick(form, "draft", "view", "owner")
    save(form).follow()
    with portal_in() as portal:
        assert "/tianhe/shipai/mingyuan/ballots/b1" in query.paths(portal, principals=sorted(owners))
        assert differences(portal) == []


def test_an_approved_extension_moves_the_voting_end_and_its_timer(as_role, portal_in):
    with portal_in(commit=True) as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        clock.set_now(ballot.window()[0])
        lifecycle.catch_up(ballot, clock.now())
        assert ballot.state == "voting"
    with portal_in(commit=True) as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        docid = portal.catalog.documents.docid_of["/tianhe/shipai/mingyuan/ballots/b2"]
        before = portal.catalog["due"]._rev_index[docid]
        assert before == facts.stamp(ballot.window()[1])
        assert ballots.request_extension(ballot, ballot.end_date + datetime.timedelta(days=2), "", clock.now()) is None
        assert ballots.approve_extension(ballot, "", clock.now()) is None
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        assert portal.catalog["due"]._rev_index[docid] == before + 2 * 86400
        assert differences(portal) == []


def test_facts_of_one_object():
    assert facts.ancestors("/") == ["/"]
    assert facts.ancestors("/a/b") == ["/", "/a", "/a/b"]
    when = datetime.datetime(2026, 1, 1, 0, 0, 0, 999999, tzinfo=clock.UTC)
    assert facts.stamp(when) == facts.stamp(when.replace(microsecond=0))       # whole seconds, floor
    assert facts.stamp(when + datetime.timedelta(microseconds=1)) == facts.stamp(when) + 1


def test_the_due_index_holds_the_next_timer_only_while_one_waits(portal_in):
    with portal_in() as portal:
        catalog, documents = portal.catalog, portal.catalog.documents
        notice = documents.docid_of["/tianhe/shipai/mingyuan/ballots/b2"]
        draft = documents.docid_of["/tianhe/shipai/mingyuan/ballots/b1"]
        community = documents.docid_of["/tianhe/shipai/mingyuan"]
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        assert catalog["due"]._rev_index[notice] == facts.stamp(ballot.window()[0])
        assert draft not in catalog["due"]._rev_index and community not in catalog["due"]._rev_index
        opens = ballot.window()[0]
        assert query.paths(portal, due_before=opens - datetime.timedelta(seconds=1)) == []
        assert query.paths(portal, due_before=opens) == ["/tianhe/shipai/mingyuan/ballots/b2"]


class Timed:
    type_name = "Timed"
    workflow_id = "w"

    def __init__(self, state, definition):
        self.state, self._definition = state, definition

    def definition(self):
        return self._definition


def test_next_due_is_the_earliest_timer_out_of_the_current_state(monkeypatch):
    from portal.catalog import timers

    soon = datetime.datetime(2026, 5, 1, tzinfo=clock.UTC)
    later = soon + datetime.timedelta(seconds=1)
    definition = {"transitions": {
        "a": {"from": ["s"], "to": "t", "timer": "late"},
        "b": {"from": ["s"], "to": "u", "timer": "soon"},
        "c": {"from": ["t"], "to": "s", "timer": "never"},
        "d": {"from": ["s"], "to": "t", "permission": "x"}}}
    table = {"late": lambda obj: later, "soon": lambda obj: soon, "never": lambda obj: None}
    monkeypatch.setitem(timers.TABLES, "Timed", (table, lambda obj, now: []))
    assert timers.next_due(Timed("s", definition)) == soon
    assert timers.next_due(Timed("t", definition)) is None          # its only timer gives no time
    assert timers.next_due(Timed("u", definition)) is None          # no timer out of it
    assert facts.due(Timed("s", definition), "none") == facts.stamp(soon)
    assert facts.due(Timed("u", definition), "none") == "none"      # left out of the index
    monkeypatch.delitem(timers.TABLES, "Timed")
    assert timers.next_due(Timed("s", definition)) is None          # an unregistered type has no timers


def test_a_timed_transition_reindexes_only_the_indexes_whose_value_changed(portal_in, monkeypatch):
    """The values each document's indexes hold are recorded, so the tick's transitions read and
    write only the indexes that change (state, phase, the next timer...), never the others' trees."""
    from hypatia.field import FieldIndex
    from hypatia.keyword import KeywordIndex

    reindexed = []
    for kind in (FieldIndex, KeywordIndex):
        real = kind.reindex_doc
        monkeypatch.setattr(kind, "reindex_doc", lambda self, docid, obj, _real=real: (
            reindexed.append(self.discriminator.__name__), _real(self, docid, obj))[1])
    with portal_in(commit=True) as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        docid = portal.catalog.documents.docid_of["/tianhe/shipai/mingyuan/ballots/b2"]
        assert portal.catalog.facts[docid] == indexing.record_of(portal.catalog, ballot)
        indexing.index(portal.catalog, ballot)
        assert reindexed == []                                   # nothing changed: no index read
        opens = ballot.window()[0]
    clock.set_now(opens)
    with portal_in(commit=True) as portal:
        lifecycle.catch_up(portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"], clock.now())
    assert "state" in reindexed and "phase" in reindexed and "due" in reindexed
    assert not {"type_name", "path", "community", "workflow", "published"} & set(reindexed)
    with portal_in() as portal:
        assert differences(portal) == []
