"""Wiring the register: the personal-data key and the evolve step for older databases."""
from portal import evolve
from portal.register.crypto import PersonalData
from portal.content.folder import communities_under
from portal.settings import read_optional_secrets, read_secret


@evolve.step("0001-community-registers")
def add_registers(portal):
    """Communities created before registers existed get an empty one."""
    from portal.register.models import Register

    for community in communities_under(portal):
        if "register" not in community:
            community.add("register", Register())


@evolve.step("0002-register-binding-structures")
def add_binding_structures(portal):
    """Registers made before binding existed get its index, bindings and codes."""
    for community in communities_under(portal):
        register = community["register"]
        if not hasattr(register, "bindings"):
            register.add_binding_structures()
            register.reindex_identities()


@evolve.step("0027-publish-needs-areas")
def publish_needs_areas(portal):
    """Stored ballot workflows refuse to publish a notice while units in scope have no area (an
    import now keeps a unit whose area is not known yet, as a gap to fill)."""
    from portal.workflow import registry

    registry.amend(portal, "ballot", guards={"publish_notice": ["areas_complete"]})


@evolve.step("0007-register-gap-units")
def add_gap_units(portal):
    """Register summaries made before they named their gaps' units get the names."""
    from portal.register import rules
    from portal.register.services import GAP_NAMES, GAP_UNITS_KEPT

    for community in communities_under(portal):
        register = community["register"]
        if register.figures and "gap_units" not in register.figures:
            gaps = rules.gaps(register.facts())
            register.figures = dict(register.figures, gap_units={
                name: gaps[name][:GAP_UNITS_KEPT] for name in GAP_NAMES})


@evolve.step("0010-register-bound-counters")
def add_bound_counters(portal):
    """Registers from before the bound counters get them, and are recounted once: the summary
    they stored, bound figures included, gives way to ``figures`` and the counters.  Bindings
    stored as dicts become records that concurrent transactions can merge, kept in a seeded
    ``Bindings`` tree (code letters stored as dicts become records in step 0042); the community's
    local roles become a ``GrowingIndex``."""
    from portal.register import services
    from portal.register.bindings import Bindings
    from portal.register.models import GrowingIndex
    from portal.register.records import Binding

    for community in communities_under(portal):
        register = community["register"]
        register.bindings = Bindings({key: Binding.of(record) for key, record in register.bindings.items()})
        if not isinstance(community.local_roles, GrowingIndex):      # where owner roles were granted
            community.local_roles = GrowingIndex(community.local_roles)
        register._p_activate()
        if register.__dict__.pop("summary", None) is not None:
            register._p_changed = True
        services.recount(register)


OLD_COUNTERS = ("_bound_units", "_bound_buyers", "_bound_developer_units")


@evolve.step("0041-bound-tally")
def bound_tally(portal):
    """The bound counters, three Lengths on the register, and the count of bound identities, a
    Length on its bindings, become one ``Tally`` on the bindings: a bind stored and reloaded four
    counter objects, and resolved four conflicts beside another bind."""
    from portal.register.bindings import new_counts
    from portal.register.bound import BoundCounts

    for community in communities_under(portal):
        register = community["register"]
        bindings = register.bindings
        register._p_activate()
        bindings._p_activate()
        identities = bindings.__dict__.pop("_bound", None)
        if identities is not None:
            bindings.counts = new_counts(identities())
        lengths = [register.__dict__.pop(name, None) for name in OLD_COUNTERS]
        if any(length is not None for length in lengths):
            register._p_changed = True
            bindings.set_bound_counts(BoundCounts(*(length() if length is not None else 0 for length in lengths)))


def personal_data(settings):
    """The keys of ``portal.id_key`` (encrypts), ``portal.id_key_retired`` (still decrypt, during
    a rotation) and ``portal.id_lookup_key`` (keys the look-up hashes; default: the ID key)."""
    key = read_secret(settings, "id_key", "PORTAL_ID_KEY")
    retired = read_optional_secrets(settings, "id_key_retired", "PORTAL_ID_KEY_RETIRED")
    lookup = read_optional_secrets(settings, "id_lookup_key", "PORTAL_ID_LOOKUP_KEY")
    if len(lookup) > 1:
        raise RuntimeError("portal.id_lookup_key takes one key")
    return PersonalData(key, retired, lookup[0] if lookup else None)


def add_register(event, community):
    """Every new community gets its (empty) register."""
    from portal.register.models import Register

    if "register" not in community:
        community.add("register", Register())


def includeme(config):
    from portal.content.models import Community, Street
    from portal.events import ObjectAdded, ObjectModified

    config.registry.personal_data = personal_data(config.registry.settings)
    config.add_subscriber(add_register, (ObjectAdded, Community))
    config.add_subscriber(refresh_on_parking_rule, (ObjectModified, Community))
    config.add_node_panel("binding", (Street, Community), binding_panel, "portal.templates:panels/binding.pt",
                          order=40)


def refresh_on_parking_rule(event, community):
    """Whether parking counts changes every total of the register: refresh its summary."""
    if "parking_counts" in event.names:
        from portal.register import services

        services.refresh(community["register"], event.when)


def binding_panel(request, node):
    """How many units and owners below a street or in a community have bound an account."""
    from portal.i18n import _
    from portal.register.statistics import coverage

    cov = coverage(node)
    return {"binding": [(_("Units bound"), cov.bound_units, cov.units),
                        (_("Owners bound"), cov.bound_owners, cov.owners)]}
