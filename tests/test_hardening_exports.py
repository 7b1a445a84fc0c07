"""Every CSV and XLSX export neutralises formulas: a text cell starting with = + - @, a tab or a CR
gets a leading single quote."""
import csv
import io

import pytest
from openpyxl import load_workbook

from portal.register.table import neutral, write_csv, write_xlsx

REGISTER = "/tianhe/shipai/mingyuan/register/"


@pytest.mark.parametrize("value", ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_starts_get_a_quote(value):
    assert neutral(value) == "'" + value


@pytest.mark.parametrize("value", ["1201", "明苑", "", " =1", "a=b", 12, -3, 1.5, None])
def test_other_cells_are_kept(value):
    assert neutral(value) == value


def test_both_writers_neutralise_every_cell():
    rows = [["=cmd|'/c calc'!A1", "+1", 5], ["ok", "@x", -5]]
    parsed = list(csv.reader(io.StringIO(write_csv(["-h", "h"], rows).decode("utf-8-sig"))))
    assert parsed == [["'-h", "h"], ["'=cmd|'/c calc'!A1", "'+1", "5"], ["ok", "'@x", "-5"]]
    sheet = load_workbook(io.BytesIO(write_xlsx(["=h"], rows))).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [["'=h", None, None], ["'=cmd|'/c calc'!A1", "'+1", 5], ["ok", "'@x", -5]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_the_register_export_neutralises_a_room_named_like_a_formula(as_role, portal_in):
    with portal_in(commit=True) as portal:
        unit = next(iter(portal["tianhe"]["shipai"]["mingyuan"]["register"].values()))
        unit.room = '=HYPERLINK("http://evil.example","x")'
    district = as_role("district")
    text = district.get(REGISTER + "@export.csv").body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    sheet = load_workbook(io.BytesIO(district.get(REGISTER + "@export.xlsx").body)).worksheets[0]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells == ["'=HYPERLINK(\"http://evil.example\",\"x\")"]
