"""Registers that real data can fill (issue 20): the error table and the preview in Chinese,
Chinese and English values alike, suspicious facts imported as gaps, publishing refused while
units have no area, and room-number lists of the units that count."""
import pytest
from webtest import Upload

from portal.register import columns, importer, rules
from portal.register.crypto import PersonalData
from portal.register.generator import row
from tests.registers import ALICE, BOB, CAROL, csv_file, rid, small_rows, wrong_check, xlsx_file

PERSONAL = PersonalData("unit-test-key")
PATH = "/tianhe/shipai/qiaoyuan/register/"


def chinese(rows):
    return [columns.in_chinese(r) for r in rows]


def upload(client, data, filename="register.csv"):
    form = client.get(PATH + "@import").forms["form"]
    form["upload"] = Upload(filename, data)
    return form.submit("check", status="*")


def error_lines(page):
    return [[td.text for td in tr.select("td")] for tr in page.html.select(".alert tbody tr")]


# --- plain functions --------------------------------------------------------------------------

def test_in_chinese_writes_the_template_words_and_leaves_the_rest():
    written = columns.in_chinese(row("1", "1", "101", owner=ALICE))
    assert written[3:7] == ["住宅", "88.50", "登记", "否"] and written[8] == "居民身份证"
    assert columns.in_chinese(row("车库", "", "P1", kind="parking", source="surveyed", unsold="yes"))[3:7] == [
        "车位", "88.50", "实测", "是"]
    assert columns.in_chinese(row("1", "1", "101", kind="villa"))[3] == "villa"   # not a word: kept


def test_masked_never_shows_a_whole_personal_value():
    assert columns.masked("id_number", "440106198001011234") == "4" + "*" * 14 + "234"
    assert columns.masked("phone", "13800138000") == "138****8000"
    assert columns.masked("owner_name", "王小明") == "王**"
    assert columns.masked("owner_name", "王") == "*"
    assert columns.masked("area_m2", "abc") == "abc" and columns.masked("phone", "") == ""


def test_column_titles_are_the_template_headers():
    assert columns.column_title("area_m2") == "建筑面积"
    assert columns.column_title("area_m2", english=True) == "建筑面积 (area_m2)"
    assert columns.column_title("colour") == "colour"


def test_without_area_names_only_counted_units_with_no_area():
    units = [rules.UnitFacts("a", area=0), rules.UnitFacts("b", area=1),
             rules.UnitFacts("p", kind=rules.PARKING, area=0)]
    assert rules.without_area(units) == ["a"]
    assert rules.without_area(units, include_parking=True) == ["a", "p"]
    assert rules.without_area([]) == []


@pytest.mark.parametrize("bad, column", [
    (row("3", "1", "", owner=ALICE), "room"),                       # no room
    (row("3", "1", "101", area="八十", owner=ALICE), "area_m2"),     # not a number
    (row("3", "1", "101", area="0", owner=ALICE), "area_m2"),       # zero is not an area
    (row("3", "1", "101", kind="别墅", owner=ALICE), "kind"),        # an unknown kind
])
def test_malformed_rows_refuse_the_whole_file(bad, column):
    prepared = importer.prepare("r.csv", csv_file(chinese(small_rows()) + [bad]), PERSONAL)
    assert prepared.units == [] and [(e.row, e.column) for e in prepared.errors] == [(9, column)]


def test_an_error_names_the_room_and_the_bad_value_masked():
    rows = small_rows() + [row("3", "1", "101", owner=("赵六", "4401"))]
    error = importer.prepare("r.csv", csv_file(rows), PERSONAL).errors[0]
    assert (error.room, error.column, error.value) == ("3栋1单元101", "id_number", "4**1")
    assert error.as_dict(str)["column_title"] == "证件号码"


@pytest.mark.parametrize("extra, gap, rooms", [
    ([row("3", "1", "101", area="", source="", owner=CAROL)], "no_area", ["3栋1单元101"]),
    ([row("3", "1", "101", owner=("赵六", wrong_check("44010619700101123")))], "bad_id", ["3栋1单元101"]),
    ([row("3", "1", "101", owner=("别名", ALICE[1]))], "id_conflict",
     ["1栋1单元101", "1栋1单元102", "1栋1单元201", "3栋1单元101"]),
    ([row("3", "1", "101")], "no_owner", ["3栋1单元101"]),
])
def test_suspicious_but_real_facts_are_imported_as_gaps(extra, gap, rooms):
    prepared = importer.prepare("r.csv", csv_file(small_rows() + extra), PERSONAL)
    assert not prepared.errors
    assert len(prepared.units) == 7
    assert importer.gaps_of(prepared.units)[gap] == rooms


def test_a_good_file_has_no_gaps():
    assert importer.gaps_of(importer.prepare("r.csv", csv_file(small_rows()), PERSONAL).units) == {}


# --- through the real form -----------------------------------------------------------------------

@pytest.mark.parametrize("maker, filename, in_chinese_words", [
    (csv_file, "register.csv", True), (csv_file, "register.csv", False),
    (xlsx_file, "register.xlsx", True), (xlsx_file, "register.xlsx", False),
])
def test_chinese_and_english_files_import_through_the_form(as_role, portal_in, maker, filename, in_chinese_words):
    clerk = as_role("district")
    rows = chinese(small_rows()) if in_chinese_words else small_rows()
    preview = upload(clerk, maker(rows, in_chinese_words), filename)
    assert preview.status_int == 200, preview.text[:1000]
    assert [li.text for li in preview.html.select(".changes li")] == ["新增 6 户", "修改 0 户", "删除 0 户", "未变 0 户"]
    preview.forms[1].submit().follow()
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["qiaoyuan"]["register"]
        assert len(register) == 6
        assert register.by_address(("车库", "", "P001")).kind == "parking"
        assert register.by_address(("2", "1", "101")).developer_unsold is True


def test_each_error_kind_is_listed_in_chinese_with_room_and_value(as_role, portal_in):
    clerk = as_role("district")
    bad = [row("3", "1", "", owner=ALICE), row("3", "1", "102", area="八十", owner=BOB),
           row("3", "1", "103", kind="别墅", owner=CAROL), row("3", "1", "104", owner=("赵六", "123"), phone="12345")]
    page = upload(clerk, csv_file(chinese(small_rows()) + bad))
    assert page.status_int == 400
    assert "未导入任何数据" in page.text
    lines = error_lines(page)
    assert [line[:4] for line in lines] == [
        ["9", "—", "房号", "(空)"], ["10", "3栋1单元102", "建筑面积", "八十"], ["11", "3栋1单元103", "类型", "别墅"],
        ["12", "3栋1单元104", "证件号码", "1*3"], ["12", "3栋1单元104", "手机号", "*****"]]
    assert "12345" not in page.text and "赵六" not in page.text
    assert all(not line[4].isascii() for line in lines)          # every message in Chinese
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["qiaoyuan"]["register"]) == 0


def test_the_english_page_names_the_column_in_both(as_role):
    clerk = as_role("district")
    clerk.set_cookie("_LOCALE_", "en")
    page = upload(clerk, csv_file(small_rows() + [row("3", "1", "102", area="x", owner=BOB)]))
    assert error_lines(page)[0][:4] == ["9", "3栋1单元102", "建筑面积 (area_m2)", "x"]
    assert "positive number" in error_lines(page)[0][4]


def test_each_gap_kind_is_previewed_imported_and_in_the_gap_report(as_role, portal_in):
    clerk = as_role("district")
    rows = chinese(small_rows()) + chinese([
        row("3", "1", "101", area="", source="", owner=("孙七", rid("44010619750505111"))),   # no area yet
        row("3", "1", "102", owner=("赵六", wrong_check("44010619700101123"))),                  # check digit
        row("3", "1", "103", owner=("别名", BOB[1])),                                           # BOB's number
        row("3", "1", "104"),                                                                   # owner unknown
    ])
    preview = upload(clerk, csv_file(rows))
    assert preview.status_int == 200, preview.text[:2000]
    gaps = preview.html.select(".gaps li")
    text = " ".join(li.text for li in gaps)
    assert len(gaps) == 4
    for words in ("没有面积", "3栋1单元101", "3栋1单元102", "3栋1单元103", "3栋1单元104"):
        assert words in text
    assert preview.html.select(".changes li")[0].text == "新增 10 户"
    preview.forms[1].submit().follow()
    with portal_in() as portal:
        figures = portal["tianhe"]["shipai"]["qiaoyuan"]["register"].summary["gaps"]
        assert figures["no_area"] == 1 and figures["bad_id"] == 1 and figures["no_owner"] == 1
        assert figures["id_conflict"] == 3         # BOB's two units and the unit under another name
    report = clerk.get(PATH)
    for room in ("3栋1单元101", "3栋1单元102", "3栋1单元103", "3栋1单元104"):
        assert room in report.text


def test_the_template_writes_chinese_example_rows_that_import(as_role):
    clerk = as_role("district")
    data = clerk.get(PATH + "@template.csv").body.decode("utf-8-sig")
    lines = data.splitlines()
    assert lines[0].startswith("楼栋,单元,房号,类型,建筑面积")
    assert "住宅" in lines[1] and "登记" in lines[1] and "否" in lines[1] and "居民身份证" in lines[1]
    assert "dwelling" not in data and "resident_id" not in data
    assert not importer.prepare("t.csv", data.encode("utf-8"), PERSONAL).errors


def test_the_api_lists_rows_with_room_value_and_gaps(api):
    client, headers = api("district")
    path = PATH + "@import"
    bad = small_rows() + [row("9", "9", "909", area="x", owner=ALICE)]
    res = client.post(path, params=[], upload_files=[("file", "r.csv", csv_file(bad))], headers=headers, status=400)
    assert res.json["rows"][0] | {"message": ""} == {"row": 9, "column": "area_m2", "column_title": "建筑面积",
                                                    "room": "9栋9单元909", "value": "x", "message": ""}
    rows = small_rows() + [row("3", "1", "101")]
    res = client.post(path + "?dry_run=true", params=[], upload_files=[("file", "r.csv", csv_file(rows))],
                      headers=headers)
    assert res.json["gaps"] == {"no_owner": 1}


# --- publishing needs every area; room lists hold the units that count ----------------------------

MINGYUAN = ("tianhe", "shipai", "mingyuan")
B3 = "/tianhe/shipai/mingyuan/ballots/b3"


def community(portal):
    return portal[MINGYUAN[0]][MINGYUAN[1]][MINGYUAN[2]]


def publish_form(client):
    page = client.get(B3)
    return [f for f in page.forms.values() if f.action.endswith("@workflow/publish_notice")][0]


def test_publishing_is_refused_while_units_in_scope_have_no_area(as_role, portal_in):
    with portal_in(commit=True) as portal:
        units = [u for u in community(portal)["register"].values() if u.kind == "dwelling"][:2]
        rooms = [u.title for u in units]
        kept = [u.area for u in units]
        for unit in units:
            unit.area = 0
        parking = [u for u in community(portal)["register"].values() if u.kind == "parking"][0]
        parking.area = 0          # parking does not count in mingyuan: it does not stop the notice
        parking_room = parking.title
    street = as_role("street")
    page = publish_form(street).submit().follow()
    refusal = page.html.select_one(".flash, [role=alert], .alert")
    assert refusal is not None and "尚无面积" in page.text
    message = page.text[page.text.index("尚无面积"):][:300]
    assert rooms[0] in message and rooms[1] in message and parking_room not in message
    with portal_in(commit=True) as portal:
        ballot = community(portal)["ballots"]["b3"]
        assert ballot.state == "approved" and ballot.electorate is None
        for unit, area in zip(units, kept):
            community(portal)["register"][unit.__name__].area = area
    publish_form(street).submit().follow()
    with portal_in() as portal:
        assert community(portal)["ballots"]["b3"].state == "notice"


def test_the_guard_is_in_the_workflow_file_and_amended_into_stored_copies(app, portal_in):
    from portal.evolve import STEPS
    from portal.workflow import registry

    assert "areas_complete" in registry.parse(registry.default_text("ballot"))["transitions"]["publish_notice"]["guards"]
    step = dict(STEPS)["0027-publish-needs-areas"]
    with portal_in() as portal:
        portal.workflows["ballot"]["transitions"]["publish_notice"]["guards"].remove("areas_complete")
        step(portal)
        step(portal)          # twice: nothing doubled
        assert portal.workflows["ballot"]["transitions"]["publish_notice"]["guards"].count("areas_complete") == 1


def test_room_lists_leave_out_units_that_do_not_count_and_label_the_total(app, as_role, portal_in):
    import datetime

    from portal import clock
    from portal.ballots.rules import midnight

    with portal_in() as portal:
        ballot = community(portal)["ballots"]["b2"]
        start = ballot.start_date
        parking = {u.title for u in community(portal)["register"].values() if u.kind == "parking"}
        counted = sum(1 for u in ballot.electorate.units if u.kind == "dwelling")
    assert parking
    clock.set_now(midnight(start) + datetime.timedelta(hours=12))
    street = as_role("street")
    page = street.get("/tianhe/shipai/mingyuan/ballots/b2/@rooms", {"list": "unbound"})
    listed = [li.text for li in page.html.select("ul.rooms li")]
    assert listed and not parking & set(listed)
    total = page.html.select_one(".rooms-total").text
    assert f"本名单共 {len(listed)} 户" in total and f"共 {counted} 户" in total
    assert "不计入车位和摊位" in page.text
    data = street.get("/tianhe/shipai/mingyuan/ballots/b2/@rooms", {"list": "unbound"},
                      headers={"Accept": "application/json"}).json
    assert data["total"] == len(data["rooms"]) == len(listed) and data["counted_units"] == counted
