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


@evolve.step("0007-register-gap-units")
def add_gap_units(portal):
    """Register summaries made before they named their gaps' units get the names."""
    from portal.register import rules
    from portal.register.services import GAP_NAMES, GAP_UNITS_KEPT

    for community in communities_under(portal):
        register = community["register"]
        if register.summary and "gap_units" not in register.summary:
            gaps = rules.gaps(register.facts())
            register.summary = dict(register.summary, gap_units={
                name: gaps[name][:GAP_UNITS_KEPT] for name in GAP_NAMES})


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
