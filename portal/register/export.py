"""The register as rows for export: ID numbers and phones masked, or in full (no Pyramid)."""
from portal.register import rules
from portal.register.columns import (  # noqa: F401  (mask_phone: pages import it from here too)
    CHINESE_HEADERS, ID_TYPE_WRITTEN, KIND_WRITTEN, SOURCE_WRITTEN, YES_WRITTEN, mask_phone)


def rows(register, personal, full=False):
    """Header and one row per owner (a unit without owner gets one row), import-compatible."""
    out = []
    for unit in register.values():
        base = [unit.building, unit.unit_no, unit.room, KIND_WRITTEN[unit.kind], rules.format_area(unit.area),
                SOURCE_WRITTEN[unit.area_source], YES_WRITTEN[bool(unit.developer_unsold)]]
        if not unit.owners:
            out.append(base + ["", "", "", ""])
        for owner in unit.owners:
            phone = personal.decrypt(owner.phone_enc)
            number = personal.decrypt(owner.id_enc) if full else owner.id_masked
            out.append(base + [personal.decrypt(owner.name_enc), ID_TYPE_WRITTEN[owner.id_type], number,
                               phone if full else mask_phone(phone)])
    return list(CHINESE_HEADERS), out
