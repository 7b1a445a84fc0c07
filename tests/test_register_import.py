"""Importing a register: all or nothing, every bad row listed, a preview before applying."""
import pytest
from webtest import Upload

from portal.register import importer
from portal.register.crypto import PersonalData
from tests.registers import ALICE, BOB, csv_file, rid, row, small_rows, wrong_check, xlsx_file

PERSONAL = PersonalData("unit-test-key")

EMPTY = "/haizhu/chigang/jiangan/register/"   # the district staff's district is Tianhe


def prepare(rows, chinese=True):
    return importer.prepare("r.csv", csv_file(rows, chinese), PERSONAL)


def test_a_good_file_prepares_units_with_co_owners():
    prepared = prepare(small_rows())
    assert not prepared.errors
    assert prepared.rows == 7
    assert len(prepared.units) == 6
    co_owned = [u for u in prepared.units if len(u.owners) == 2]
    assert [u.title for u in co_owned] == ["1栋2单元101"]


@pytest.mark.parametrize("bad, column, words", [
    (row("3", "1", "101", owner=("赵六", rid("44010619800231123"))), "id_number", "birth date"),
    (row("3", "1", "101", area="88.555", owner=ALICE), "area_m2", "two decimals"),
    (row("3", "1", "101", area="-3", owner=ALICE), "area_m2", "positive"),
    (row("3", "1", "101", kind="villa", owner=ALICE), "kind", "dwelling, parking or stall"),
    (row("3", "1", "101", source="guess", owner=ALICE), "area_source", "registered, surveyed"),
    (row("1", "1", "101", area="70.00", owner=BOB), "area_m2", "same room as row 2"),
    (row("3", "1", "101", owner=ALICE, phone="12345"), "phone", "11-digit"),
    (row("", "1", "101", owner=ALICE), "building", "building is missing"),
    (row("3", "1", "101", unsold="maybe"), "developer_unsold", "yes or no"),
    (row("3", "1", "101", unsold="yes", owner=ALICE), "owner_name", "has no owner"),
])
def test_one_bad_row_among_good_ones_imports_nothing(bad, column, words):
    prepared = prepare(small_rows() + [bad], chinese=False)
    assert prepared.units == []
    assert [(e.row, e.column) for e in prepared.errors] == [(9, column)]
    message = prepared.errors[0].message
    text = message.interpolate() if hasattr(message, "interpolate") else str(message)
    assert words in text.lower()


def test_every_bad_row_is_listed_in_row_order():
    rows = small_rows()
    rows[1] = row("1", "1", "102", area="abc", owner=ALICE)
    rows[4] = row("1", "2", "101", area="100.25", owner=("陈静", "123"))
    prepared = prepare(rows)
    assert [(e.row, e.column) for e in prepared.errors] == [(3, "area_m2"), (6, "id_number")]


def test_missing_and_unknown_columns_are_reported_on_the_header_row():
    data = b"building,room,colour\n1,101,red\n"
    prepared = importer.prepare("r.csv", data, PERSONAL)
    columns = {e.column for e in prepared.errors if e.row == 1}
    assert {"colour", "kind", "area_m2", "id_number"} <= columns


def test_an_unreadable_file_is_reported():
    prepared = importer.prepare("r.xlsx", b"PK\x03\x04 not really a zip", PERSONAL)
    assert prepared.errors and "XLSX" in str(prepared.errors[0].message)


def test_gb18030_csv_from_older_excel_is_read():
    data = csv_file(small_rows()).decode("utf-8-sig").encode("gb18030")
    assert not importer.prepare("r.csv", data, PERSONAL).errors


def test_xlsx_with_english_headers_and_numeric_cells():
    from openpyxl import Workbook
    import io

    book = Workbook()
    sheet = book.active
    sheet.append(list(importer.COLUMNS))
    sheet.append([1, 1, 1201, "dwelling", 88.5, "registered", "no", ALICE[0], "resident_id", ALICE[1], None])
    out = io.BytesIO()
    book.save(out)
    prepared = importer.prepare("r.xlsx", out.getvalue(), PERSONAL)
    assert not prepared.errors
    assert prepared.units[0].room == "1201" and prepared.units[0].area == 8850


def upload_page(client, path, data, filename="register.csv"):
    form = client.get(path + "@import").forms["form"]
    form["upload"] = Upload(filename, data)
    return form.submit("check", status="*")


def test_district_staff_import_through_the_form_after_a_preview(as_role, portal_in):
    clerk = as_role("district")
    path = "/tianhe/shipai/qiaoyuan/register/"
    preview = upload_page(clerk, path, csv_file(small_rows()))
    assert preview.status_int == 200
    assert "应用这些更改" in preview.text            # nothing applied yet
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["qiaoyuan"]["register"]) == 0
    page = preview.forms[1].submit().follow()
    assert "已导入" in page.text
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["qiaoyuan"]["register"]
        assert len(register) == 6
        # Alice's three units are one owner; co-owned unit one; the unsold unit one; parking excluded
        assert register.summary["owners"] == 3 and register.summary["area"] == 8850 + 9000 + 9000 + 10025 + 12000
        assert register.established is not None
        entry = portal.audit_log.under(path)[0]
        assert entry["action"] == "register.import" and entry["detail"]["added"] == "6"


def test_a_file_with_a_bad_row_lists_it_and_imports_nothing_on_the_page(as_role, portal_in):
    clerk = as_role("district")
    rows = small_rows() + [row("9", "9", "909", area="0", owner=ALICE)]
    page = upload_page(clerk, "/tianhe/shipai/qiaoyuan/register/", xlsx_file(rows), "register.xlsx")
    assert page.status_int == 400
    cells = [td.text for td in page.html.select(".alert td")]
    assert cells[:4] == ["9", "9栋9单元909", "建筑面积", "0"] and "面积" in cells[4]
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["qiaoyuan"]["register"]) == 0


def test_reimport_previews_added_changed_and_removed(as_role, portal_in):
    clerk = as_role("district")
    path = "/tianhe/shipai/qiaoyuan/register/"
    upload_page(clerk, path, csv_file(small_rows())).forms[1].submit()
    rows = small_rows()
    rows[0] = row("1", "1", "101", area="89.00", owner=ALICE, phone="13800138000")   # changed
    del rows[2]                                                                      # removed
    rows.append(row("3", "1", "101", area="70.00", owner=BOB))                        # added
    preview = upload_page(clerk, path, csv_file(rows))
    figures = [li.text for li in preview.html.select(".changes li")]
    assert figures == ["新增 1 户", "修改 1 户", "删除 1 户", "未变 4 户"]
    assert "1栋1单元201" in preview.text and "3栋1单元101" in preview.text
    with portal_in() as portal:
        before = portal["tianhe"]["shipai"]["qiaoyuan"]["register"].by_address(("1", "1", "101")).__name__
    preview.forms[1].submit().follow()
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["qiaoyuan"]["register"]
        unit = register.by_address(("1", "1", "101"))
        assert unit.area == 8900 and unit.__name__ == before      # ids survive a re-import
        assert register.by_address(("1", "1", "201")) is None
        assert len(register) == 6


def test_a_preview_is_not_applied_after_the_register_changed(as_role, portal_in):
    clerk = as_role("district")
    path = "/tianhe/shipai/qiaoyuan/register/"
    preview = upload_page(clerk, path, csv_file(small_rows()))
    with portal_in(commit=True) as portal:
        portal["tianhe"]["shipai"]["qiaoyuan"]["register"].version += 1
    page = preview.forms[1].submit().follow()
    assert "登记册在检查后已被修改" in page.text
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["qiaoyuan"]["register"]) == 0


def test_the_downloadable_template_imports_cleanly(as_role):
    clerk = as_role("district")
    for name in ("@template.csv", "@template.xlsx"):
        data = clerk.get("/tianhe/shipai/qiaoyuan/register/" + name).body
        assert not importer.prepare(name, data, PERSONAL).errors


def test_district_staff_of_another_district_and_street_staff_cannot_import(as_role, api):
    clerk = as_role("district")
    clerk.get(EMPTY + "@import", status=403)
    street = as_role("street")
    street.get("/tianhe/shipai/mingyuan/register/", status=200)
    street.get("/tianhe/shipai/mingyuan/register/@import", status=403)
    client, headers = api("district")
    client.post(EMPTY + "@import", csv_file(small_rows()), headers=dict(headers, **{"Content-Type": "text/csv"}),
                status=403)


def test_the_api_imports_all_or_nothing(api, portal_in):
    client, headers = api("district")
    path = "/tianhe/shipai/qiaoyuan/register/@import"
    bad = small_rows() + [row("9", "9", "909", area="x", owner=ALICE), row("9", "9", "910", kind="villa")]
    res = client.post(path, params=[], upload_files=[("file", "r.csv", csv_file(bad))], headers=headers,
                      status=400)
    assert res.json["error"] == "invalid_rows"
    assert [(r["row"], r["column"]) for r in res.json["rows"]] == [(9, "area_m2"), (10, "kind")]
    assert "面积" in res.json["rows"][0]["message"]
    res = client.post(path + "?dry_run=true", params=[], upload_files=[("file", "r.csv", csv_file(small_rows()))],
                      headers=headers)
    assert res.json["applied"] is False and len(res.json["added"]) == 6
    res = client.post(path, csv_file(small_rows()), headers=dict(headers, **{"Content-Type": "text/csv"}))
    assert res.json["applied"] is True
    data = client.get("/tianhe/shipai/qiaoyuan/register", headers=headers).json
    assert (data["total_owners"], data["total_area"], data["all_units"]) == (3, "488.75", 6)
