"""The register's columns, as the import template, the importer and every export name them.

One table each way: the words a file may use for a value (Chinese as in the template, or the
English identifiers) and the words an export writes.  The importer and the exports both read
this module, so a column or a value word is named once.
"""
from portal.register import idnumbers, rules

COLUMNS = ("building", "unit", "room", "kind", "area_m2", "area_source", "developer_unsold",
           "owner_name", "id_type", "id_number", "phone")
CHINESE_HEADERS = ("楼栋", "单元", "房号", "类型", "建筑面积", "面积来源", "开发商未售", "业主姓名",
                   "证件类型", "证件号码", "手机号")
HEADER_TO_COLUMN = dict(zip(COLUMNS, COLUMNS)) | dict(zip(CHINESE_HEADERS, COLUMNS))
HEADER_OF = dict(zip(COLUMNS, CHINESE_HEADERS))         # the template's name of a column
PERSONAL_COLUMNS = ("owner_name", "id_number", "phone")
REQUIRED_COLUMNS = ("building", "room", "kind", "area_m2", "area_source", "owner_name", "id_type",
                    "id_number")

# what an export writes for a value
KIND_WRITTEN = {rules.DWELLING: "住宅", rules.PARKING: "车位", rules.STALL: "摊位"}
SOURCE_WRITTEN = {"registered": "登记", "surveyed": "实测", "contract": "合同"}
YES_WRITTEN = {True: "是", False: "否"}
ID_TYPE_WRITTEN = idnumbers.CHINESE_NAMES

# the words a file may use for a value: the written words and the identifiers
KIND_WORDS = {kind: kind for kind in KIND_WRITTEN} | {word: kind for kind, word in KIND_WRITTEN.items()}
SOURCE_WORDS = {source: source for source in SOURCE_WRITTEN} | {w: s for s, w in SOURCE_WRITTEN.items()}
YES_NO = {"yes": True, "是": True, "y": True, "true": True, "1": True,
          "no": False, "否": False, "n": False, "false": False, "0": False, "": False}
ID_TYPE_WORDS = {t: t for t in idnumbers.ID_TYPES} | {v: k for k, v in ID_TYPE_WRITTEN.items()}
PHONE_LENGTH = 11
WRITTEN = {"kind": KIND_WRITTEN, "area_source": SOURCE_WRITTEN, "id_type": ID_TYPE_WRITTEN}


def in_chinese(cells):
    """A row of the columns' values with the identifiers written as the template writes them
    ("dwelling" -> "住宅", "registered" -> "登记", "no" -> "否", "resident_id" -> "居民身份证")."""
    out = []
    for column, value in zip(COLUMNS, cells):
        if column == "developer_unsold":
            value = YES_WRITTEN[YES_NO[value.lower()]] if value.lower() in YES_NO else value
        else:
            value = WRITTEN.get(column, {}).get(value, value)
        out.append(value)
    return out


def column_title(column, english=False):
    """A column as the error table names it: the template's header (with the identifier in English)."""
    header = HEADER_OF.get(column, column)
    return f"{header} ({column})" if english and column in HEADER_OF else header


def masked(column, value):
    """A cell as an error line may show it: personal columns masked, never whole."""
    if not value or column not in PERSONAL_COLUMNS:
        return value
    if column == "phone":
        return mask_phone(value)
    if column == "id_number":
        return idnumbers.mask("", value)
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else "*"


def mask_phone(phone):
    """'13900000001' -> '139****0001' (what pages and masked exports show)."""
    return phone[:3] + "****" + phone[-4:] if len(phone) == PHONE_LENGTH else ("*" * len(phone))
