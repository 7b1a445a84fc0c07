"""Correcting single units and owners through the forms; the gaps and totals follow."""
from tests.registers import rid, wrong_check

MINGYUAN = "/tianhe/shipai/mingyuan/register/"


def first_unit_url(client):
    page = client.get(MINGYUAN)
    return [a["href"] for a in page.html.select("table a")][0]


def test_the_register_page_shows_totals_and_gaps(as_role, portal_in):
    page = as_role("street").get(MINGYUAN)
    figures = [dd.text for dd in page.html.select(".figures dd")]
    with portal_in() as portal:
        summary = portal["tianhe"]["shipai"]["mingyuan"]["register"].summary
    assert figures[0] == str(summary["owners"])
    assert summary["units"] == 192 and summary["all_units"] == 200
    assert "查漏补缺" in page.text


def test_correcting_a_unit_is_audited_and_updates_the_totals(as_role, portal_in):
    clerk = as_role("district")
    unit_page = clerk.get(first_unit_url(clerk))
    with portal_in() as portal:
        before = portal["tianhe"]["shipai"]["mingyuan"]["register"].summary["area"]
    form = unit_page.click(href="@edit").forms["form"]
    old_area = form["area"].value
    form["area"] = "1000.00"
    form.submit("save").follow()
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        old = int(old_area.replace(".", ""))
        if not register.units[unit_page.request.path.rstrip("/").split("/")[-1]].developer_unsold:
            assert register.summary["area"] == before - old + 100000
        entry = portal.audit_log.under(MINGYUAN)[0]
        assert entry["action"] == "register.unit_edit" and entry["detail"]["fields"] == "area"


def test_a_bad_area_and_a_taken_address_are_refused(as_role):
    clerk = as_role("district")
    form = clerk.get(MINGYUAN + "@add-unit").forms["form"]
    form["building"], form["unit_no"], form["room"] = "1", "1", "101"
    form["area"] = "12.345"
    page = form.submit("add", status=400)
    assert "最多两位小数" in page.text
    form = page.forms["form"]
    form["area"] = "12.34"
    page = form.submit("add", status=400)
    assert "已有其他房屋使用此房号" in page.text


def test_adding_a_unit_and_its_owner(as_role, portal_in):
    clerk = as_role("district")
    form = clerk.get(MINGYUAN + "@add-unit").forms["form"]
    form["building"], form["unit_no"], form["room"], form["area"] = "9", "1", "901", "99.99"
    unit = form.submit("add").follow()
    assert "此房屋尚未登记业主" in unit.text
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"]["register"].summary["gaps"]["no_owner"] >= 1
    form = unit.click(href="@add-owner").forms["form"]
    form["name"], form["id_number"] = "周新", wrong_check("44010619800101123")
    page = form.submit("add", status=400)
    assert "校验位错误" in page.text
    form = page.forms["form"]
    form["id_number"] = rid("44010619800101123")
    form["phone"] = "13912345678"
    unit = form.submit("add").follow()
    assert "周新" in unit.text and "139****5678" in unit.text
    with portal_in() as portal:
        entry = portal.audit_log.under(MINGYUAN)[0]
        assert entry["action"] == "register.owner_add"
        assert "周新" not in str(entry) and "13912345678" not in str(entry)


def test_correcting_an_owner_keeps_the_number_when_left_empty(as_role, portal_in):
    clerk = as_role("district")
    unit = clerk.get(first_unit_url(clerk))
    if not unit.html.select("a[href*='@owner']"):
        unit = clerk.get(MINGYUAN + "u2/")
    form = unit.click(href="@owner").forms["form"]
    assert form["id_number"].value == ""
    form["name"] = "改名"
    unit = form.submit("save").follow()
    assert "改名" in unit.text
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        path = unit.request.path.rstrip("/").split("/")[-1]
        assert register.units[path].owners[0].id_valid


def test_parking_counts_when_the_community_says_so(as_role, portal_in):
    with portal_in() as portal:
        before = dict(portal["tianhe"]["shipai"]["mingyuan"]["register"].summary)
    clerk = as_role("street")
    form = clerk.get("/tianhe/shipai/mingyuan/@edit").forms["form"]
    form["parking_counts"] = True
    form.submit("save").follow()
    with portal_in() as portal:
        after = portal["tianhe"]["shipai"]["mingyuan"]["register"].summary
    assert after["units"] == before["units"] + 8
    assert after["area"] == before["area"] + 8 * 1250


def test_removing_an_owner_makes_a_gap(as_role, portal_in):
    clerk = as_role("district")
    unit = clerk.get(MINGYUAN + "u1/")
    remove = [f for f in unit.forms.values() if f.action.endswith("@remove-owner")]
    for _ in remove:
        unit = clerk.get(MINGYUAN + "u1/")
        [f for f in unit.forms.values() if f.action.endswith("@remove-owner")][0].submit().follow()
    page = clerk.get(MINGYUAN)
    gaps = page.html.select("li.gap")[0]
    assert "1栋1单元101" in gaps.text
