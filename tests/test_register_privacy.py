"""Personal data: encrypted at rest, masked on pages and in JSON, unmasked only for district
staff (audited), and never in the audit log or the server log."""
import logging

from webtest import Upload

from portal.register.crypto import PersonalData
from tests.registers import ALICE, BOB, CAROL, csv_file, small_rows

QIAOYUAN = "/tianhe/shipai/qiaoyuan/register/"


def import_small(client):
    form = client.get(QIAOYUAN + "@import").forms["form"]
    form["upload"] = Upload("r.csv", csv_file(small_rows()))
    form.submit("check").forms[1].submit()


def test_id_numbers_names_and_phones_are_not_in_the_database_file(as_role, db, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    clerk = as_role("district")
    import_small(clerk)
    clerk.get(QIAOYUAN)
    db.close()   # flush everything to Data.fs
    data = (tmp_path / "Data.fs").read_bytes()
    for name, number in (ALICE, BOB, CAROL):
        assert number.encode() not in data and number.encode("utf-16-le") not in data
        assert name.encode("utf-8") not in data
    assert b"13800138000" not in data
    logged = caplog.text
    for name, number in (ALICE, BOB, CAROL):
        assert number not in logged and name not in logged


def test_pages_and_json_show_masked_numbers_only(as_role, api):
    clerk = as_role("district")
    import_small(clerk)
    page = clerk.get(QIAOYUAN)
    unit_url = [a["href"] for a in page.html.select("table a") if a.text == "1栋1单元101"][0]
    unit = clerk.get(unit_url)
    assert ALICE[0] in unit.text                       # staff see the name to correct it
    assert ALICE[1] not in unit.text
    assert ALICE[1][:6] + "********" + ALICE[1][-4:] in unit.text
    assert "138****8000" in unit.text and "13800138000" not in unit.text
    client, headers = api("street")
    data = client.get(unit_url, headers=headers).json
    assert data["owners"][0]["id_number"] == ALICE[1][:6] + "********" + ALICE[1][-4:]
    assert ALICE[1] not in str(data)


def test_masked_export_for_street_staff_full_export_only_for_district_staff(as_role, portal_in):
    district = as_role("district")
    import_small(district)
    street = as_role("street")
    masked = street.get(QIAOYUAN + "@export.csv").body.decode("utf-8-sig")
    assert ALICE[0] in masked and ALICE[1] not in masked and "********" in masked
    street.get(QIAOYUAN + "@export-full.csv", status=403)
    as_role("admin").get(QIAOYUAN + "@export-full.csv", status=403)
    full = district.get(QIAOYUAN + "@export-full.csv").body.decode("utf-8-sig")
    assert ALICE[1] in full and "13800138000" in full
    xlsx = district.get(QIAOYUAN + "@export-full.xlsx")
    assert xlsx.content_type.endswith("spreadsheetml.sheet")
    with portal_in() as portal:
        actions = [e["action"] for e in portal.audit_log.under(QIAOYUAN)]
        assert actions.count("register.export_full") == 2
        assert all(ALICE[1] not in str(e) and ALICE[0] not in str(e)
                   for e in portal.audit_log.under("/"))


def test_a_full_export_imports_back_unchanged(as_role):
    from portal.register import importer

    district = as_role("district")
    import_small(district)
    full = district.get(QIAOYUAN + "@export-full.xlsx").body
    preview = district.get(QIAOYUAN + "@import").forms["form"]
    preview["upload"] = Upload("back.xlsx", full)
    page = preview.submit("check")
    assert [li.text for li in page.html.select(".changes li")] == ["新增 0 户", "修改 0 户", "删除 0 户", "未变 6 户"]
    assert importer.header_map(list(importer.CHINESE_HEADERS))[1] == []


def test_the_same_key_gives_the_same_lookup_hash_and_another_key_does_not():
    one, two = PersonalData("key-one"), PersonalData("key-two")
    assert one.identity_hash("resident_id", ALICE[1]) == one.identity_hash("resident_id", ALICE[1].lower())
    assert one.identity_hash("resident_id", ALICE[1]) != two.identity_hash("resident_id", ALICE[1])
    assert one.decrypt(one.encrypt(ALICE[0])) == ALICE[0]
    token = one.encrypt(ALICE[1])
    try:
        two.decrypt(token)
    except ValueError:
        pass
    else:
        raise AssertionError("another key must not decrypt")
