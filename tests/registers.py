"""Helpers for register tests: files in the formats staff upload."""
from portal.register.generator import community_rows, row
from portal.register.idnumbers import check_char
from portal.register.importer import CHINESE_HEADERS, COLUMNS
from portal.register.table import write_csv, write_xlsx


def rid(first17):
    """A valid resident ID number from its first 17 digits."""
    return first17 + check_char(first17)


def wrong_check(first17):
    """An ID number whose check digit is wrong."""
    right = rid(first17)[17]
    return first17 + ("0" if right != "0" else "1")


ALICE = ("王小明", rid("44010619800101123"))
BOB = ("李华", rid("44010619850505456"))
CAROL = ("陈静", rid("44010619900909789"))


def small_rows():
    """Seven units: a co-owned unit, Alice with three units, an unsold unit, a parking space."""
    return [
        row("1", "1", "101", area="88.50", owner=ALICE, phone="13800138000"),
        row("1", "1", "102", area="90.00", owner=ALICE),
        row("1", "1", "201", area="90.00", owner=ALICE),
        row("1", "2", "101", area="100.25", owner=BOB),
        row("1", "2", "101", area="100.25", owner=CAROL),
        row("2", "1", "101", area="120.00", unsold="yes"),
        row("车库", "", "P001", kind="parking", area="12.50", source="surveyed", owner=BOB),
    ]


def csv_file(rows, chinese=True):
    return write_csv(list(CHINESE_HEADERS if chinese else COLUMNS), rows)


def xlsx_file(rows, chinese=False):
    return write_xlsx(list(CHINESE_HEADERS if chinese else COLUMNS), rows)


__all__ = ["ALICE", "BOB", "CAROL", "community_rows", "csv_file", "rid", "row", "small_rows", "wrong_check", "xlsx_file"]
