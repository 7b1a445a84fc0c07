"""The register as rows for export: ID numbers and phones masked, or in full (no Pyramid)."""
from portal.register import rules
from portal.register.idnumbers import CHINESE_NAMES
from portal.register.importer import CHINESE_HEADERS

KIND_WORDS = {rules.DWELLING: "住宅", rules.PARKING: "车位", rules.STALL: "摊位"}
SOURCE_WORDS = {"registered": "登记", "surveyed": "实测", "contract": "合同"}


def mask_phone(phone):
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 else ("*" * len(phone))


def rows(register, personal, full=False):
    """Header and one row per owner (a unit without owner gets one row), import-compatible."""
    out = []
    for unit in register.values():
        base = [unit.building, unit.unit_no, unit.room, KIND_WORDS[unit.kind], rules.format_area(unit.area),
                SOURCE_WORDS[unit.area_source], "是" if unit.developer_unsold else "否"]
        if not unit.owners:
            out.append(base + ["", "", "", ""])
        for owner in unit.owners:
            phone = personal.decrypt(owner.phone_enc)
            number = personal.decrypt(owner.id_enc) if full else owner.id_masked
            out.append(base + [personal.decrypt(owner.name_enc), CHINESE_NAMES[owner.id_type], number,
                               phone if full else mask_phone(phone)])
    return list(CHINESE_HEADERS), out
