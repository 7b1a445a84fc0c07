"""Wiring binding: the message sender, the face provider settings, the evolve step."""
from BTrees.OOBTree import OOBTree

from portal import evolve
from portal.binding.messages import make_sender


@evolve.step("0003-binding-stores")
def add_binding_stores(portal):
    for name in ("phone_codes", "face_requests"):
        if not hasattr(portal, name):
            setattr(portal, name, OOBTree())


@evolve.step("0032-unbind-requests")
def add_unbind_requests(portal):
    """Registers get their store of requests to unbind another account, and the catalog the index
    the street's worklist finds the communities with one waiting by."""
    from portal.catalog.rebuild import rebuild
    from portal.catalog.store import add_missing_indexes
    from portal.content.folder import communities_under

    for community in communities_under(portal):
        register = community["register"]
        if register.unbind_requests is None:
            register.unbind_requests = OOBTree()
    if add_missing_indexes(portal.catalog):
        rebuild(portal)


@evolve.step("0034-owners-by-community")
def owners_by_community(portal):
    """The catalog names the owners who may view an object by their community ("owners:<path>"),
    not one by one: binding no longer reindexes the community and everything in it."""
    from portal.catalog.rebuild import rebuild

    rebuild(portal)


@evolve.step("0036-owner-role-from-binding")
def owner_role_from_binding(portal):
    """The owner role follows from ``account.communities``, which binding keeps: the grants binding
    used to store on each community go (every bind in a community wrote that one tree), and each
    bound account's communities are made to agree with the registers first."""
    from pyramid.traversal import resource_path

    from portal.content.folder import communities_under
    from portal.security.roles import OWNER

    for community in communities_under(portal):
        path = resource_path(community)
        register = community.get("register")
        for uid in {record["uid"] for record in register.bindings.values()}:
            account = portal.accounts.get(uid)
            if account is not None and path not in account.communities:
                account.communities = tuple(sorted(set(account.communities) | {path}))
        for uid, held in list(community.local_roles.items()):
            if OWNER in held:
                rest = tuple(role for role in held if role != OWNER)
                if rest:
                    community.local_roles[uid] = rest
                else:
                    del community.local_roles[uid]


@evolve.step("0038-bindings-seeded-and-on-accounts")
def seeded_bindings(portal):
    """Bindings move from a tree that every bind added a key to (its buckets split under owners
    binding at once, and a split cannot merge) to a ``Bindings`` tree seeded with every identity;
    the reverse index (account -> identities), another tree every bind wrote, moves onto the
    accounts (``account.identities``), which a bind writes anyway."""
    from portal.binding.service import index_binding
    from portal.content.folder import communities_under
    from portal.register.bindings import Bindings
    from portal.register.records import Binding

    for community in communities_under(portal):
        register = community["register"]
        if not isinstance(register.bindings, Bindings):
            register.bindings = Bindings({key: Binding.of(record) for key, record in register.bindings.items()})
            register.bindings.seed(register.identity_index.keys())
        register._p_activate()
        if register.__dict__.pop("bindings_by_uid", None) is not None:
            register._p_changed = True
        for id_hash, record in register.bindings.items():
            account = portal.accounts.get(record["uid"])
            if account is not None:
                index_binding(community, account, id_hash)


OLD_LETTER_FIELDS = ("unit", "id_hash", "issued", "expires", "issued_by", "used")


def stored_use(used):
    """A letter's use from the ``used`` field stored before step 0042: None (unused), a time or
    "superseded" (whose time was never kept)."""
    from portal.binding.codes import UNUSED
    from portal.register.records import CodeUse

    if used is None:
        return UNUSED
    if used == "superseded":
        return CodeUse.make(state="superseded", when=None)
    return CodeUse.make(state="used", when=used)


@evolve.step("0042-code-letter-uses")
def code_letter_uses(portal):
    """A letter's use moves out of its record into a seeded tree of small values
    (``register.code_uses``), and each owner's newest letter is indexed (``register.letters``):
    a bind rewrote the bucket of about thirty letter records its letter shared, and issuing a
    letter read every letter of the register to supersede the owner's earlier ones (see
    ``binding.codes``).  Letters stored as dicts (before step 0010 made records) become records."""
    from portal.content.folder import communities_under
    from portal.register.records import CodeLetter

    for community in communities_under(portal):
        register = community["register"]
        register._p_activate()
        if "code_uses" in register.__dict__:
            continue
        register.code_uses, register.letters = OOBTree(), OOBTree()
        newest = {}
        for key, record in list(register.codes.items()):
            old = dict(record) if isinstance(record, dict) else dict(zip(OLD_LETTER_FIELDS, record))
            letter = register.codes[key] = CodeLetter.make(**{name: old[name] for name in CodeLetter.fields})
            register.code_uses[key] = stored_use(old.get("used"))
            if letter["id_hash"] not in newest or newest[letter["id_hash"]][0] < letter["issued"]:
                newest[letter["id_hash"]] = (letter["issued"], key)
        for id_hash, (_issued, key) in newest.items():
            register.letters[id_hash] = key


class FaceProvider:
    def __init__(self, url, secret):
        self.url = url
        self.secret = secret


def bind_button(request, community):
    """An owner's way to bind an account to this community's register."""
    from portal.binding.service import bound_identities

    account = request.identity
    if account is None or account.kind != "owner" or bound_identities(community["register"], account.uid):
        return None                 # nobody already bound is asked to bind
    return {}


def includeme(config):
    from portal.binding import guide
    from portal.content.models import Community, Portal
    config.add_node_panel("bind_button", Community, bind_button, "portal.templates:panels/bind_button.pt",
                          order=10)
    config.add_node_panel("find_community", Portal, guide.find_panel, "portal.templates:panels/find_community.pt",
                          order=5)
    config.add_node_panel("guide", (Portal, Community), guide.guide_panel, "portal.templates:panels/guide.pt",
                          order=90)
    settings = config.registry.settings
    config.registry.message_sender = make_sender(settings)
    config.registry.face_provider = FaceProvider(
        settings.get("portal.face_provider_url", ""), settings.get("portal.face_provider_secret", ""))
