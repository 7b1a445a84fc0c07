"""The district office's desk and the city administrators' desk (issue 20): every line appears
with the work and goes when it is done, each linking to where the work is done; staff land on
their desk after signing in; the coverage series is recorded by the periodic job, never invented."""
import datetime

import transaction

from portal import clock
from portal.desks.series import record_job
from tests.conftest import browser, sign_in
from tests.registers import csv_file, rid, small_rows
from tests.test_documents import file_document, publish
from tests.test_register_import import upload_page

DESK = "/tianhe/@worklist"
MINGYUAN = "/tianhe/shipai/mingyuan/register/"


def desk(api, path=DESK, login="district"):
    client, headers = api(login)
    return client.get(path, headers=headers).json


def record(app, job=record_job):
    """One run of a periodic job (the coverage series'), as the scheduler runs it."""
    conn = app.registry._zodb_databases[""].open(transaction.TransactionManager(explicit=True))
    try:
        return job(conn, app.registry)
    finally:
        conn.close()


def test_a_community_without_a_register_leaves_the_desk_once_imported(api, as_role):
    before = desk(api)
    assert before["without_register"]["count"] == 2
    line = [i for i in before["without_register"]["items"] if i["title"] == "侨苑花园"][0]
    assert line["@id"] == "http://localhost/tianhe/shipai/qiaoyuan/register/@import"     # where it is done
    clerk = as_role("district")
    page = clerk.get(DESK)
    assert "侨苑花园" in page.text and page.click(href="qiaoyuan/register/@import").forms["form"]
    upload_page(clerk, "/tianhe/shipai/qiaoyuan/register/", csv_file(small_rows())).forms[1].submit()
    after = desk(api)
    assert after["without_register"]["count"] == 1 and after["figures"]["with_register"] == 2
    assert "侨苑花园" not in clerk.get(DESK).text


def test_a_gap_is_counted_by_kind_and_leaves_when_filled(api, as_role):
    assert desk(api)["gaps"]["count"] == 0
    clerk = as_role("district")
    form = clerk.get(MINGYUAN + "@add-unit").forms["form"]
    form["building"], form["unit_no"], form["room"], form["area"] = "9", "1", "901", "99.99"
    unit = form.submit("add").follow()                       # a unit without an owner
    found = desk(api)
    assert found["gaps"]["count"] == 1
    assert {g["gap"]: g["communities"] for g in found["gaps"]["counts"]}["no_owner"] == 1
    assert found["gaps"]["items"][0]["@id"] == "http://localhost" + MINGYUAN
    page = clerk.get(DESK)
    assert "没有业主的房屋" in page.text and page.click(href="mingyuan/register/$").status_int == 200
    form = unit.click(href="@add-owner").forms["form"]
    form["name"], form["id_number"], form["phone"] = "周新", rid("44010619800101123"), "13912345678"
    form.submit("add").follow()
    assert desk(api)["gaps"]["count"] == 0
    assert "明苑小区" not in clerk.get(DESK).html.select("#gaps")[0].text


def test_a_filed_document_to_publish_leaves_when_published(api, as_role):
    clerk = as_role("district")
    url = file_document(clerk).location.replace("http://localhost", "")
    items = desk(api)["documents"]["items"]
    assert [i["title"] for i in items] == ["明苑小区业主大会议事规则"]
    assert items[0]["@id"].replace("http://localhost", "") == url
    publish(clerk, clerk.get(DESK).click(description="明苑小区业主大会议事规则").request.path)
    assert desk(api)["documents"]["count"] == 0


def test_each_kind_of_staff_lands_on_their_desk(app):
    for login, target in (("district", "/tianhe/@worklist"), ("admin", "/@worklist"),
                          ("street", "/tianhe/shipai/@worklist"), ("organizer", "/")):
        client = browser(app)
        assert sign_in(client, login).location == "http://localhost" + target, login
    client = browser(app)
    page = client.get("/@login?came_from=/tianhe/shipai/mingyuan/")
    form = page.forms["form"]
    form["login"], form["password"] = "district", "district-demo"
    assert form.submit("signin").location == "http://localhost/tianhe/shipai/mingyuan/"    # asked for a page


def test_only_their_staff_see_the_desks(api, as_role):
    for login in ("street", "organizer"):
        client, headers = api(login)
        client.get(DESK, headers=headers, status=403)
    client, headers = api("district")
    client.get("/@worklist", headers=headers, status=403)
    client.get("/haizhu/@worklist", headers=headers, status=403)
    assert desk(api, "/haizhu/@worklist", "admin")["figures"]["communities"] == 1


def test_the_series_is_recorded_by_the_job_at_most_hourly_and_charted(app, api, as_role):
    assert desk(api)["series"] == []
    assert "尚无记录" in as_role("district").get(DESK).text
    clock.set_now(datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.timezone.utc))
    assert record(app) == {"recorded": 12}              # the city and its eleven districts
    assert record(app) == {"recorded": 0}               # not again within the hour
    clock.set_now(datetime.datetime(2026, 4, 2, 2, tzinfo=datetime.timezone.utc))
    assert record(app) == {"recorded": 12}
    series = desk(api)["series"]
    assert [p["month"] for p in series] == ["2026-03", "2026-04"]
    assert series[-1]["with_register"] == 1 and series[-1]["bound_owners"] == 3 and not series[-1]["demo"]
    page = as_role("district").get(DESK)
    charts = page.html.select("svg.chart")
    assert len(charts) == 2 and "2026-04" in charts[0].text
    assert page.html.select(".chart-pair table")[1].select("td")[-1].text == "3"      # the table beside it
    city = desk(api, "/@worklist", "admin")
    assert city["figures"]["bound_owners"] == 3 and city["bound_recorded_at"].startswith("2026-04-02")
    assert city["series"][-1]["with_register"] == 2


def test_the_city_desk_reports_coverage_as_the_seed_does(app, api, as_role, portal_in):
    from portal.catalog import tick_job
    from tests.test_voting import voting_time

    city = desk(api, "/@worklist", "admin")
    assert city["figures"]["communities"] == 5 and city["figures"]["with_register"] == 2
    assert city["figures"]["ballots_held"] == 0                 # a notice published is not yet held
    voting_time(portal_in)
    record(app, tick_job)                                       # the scheduler's tick opens the voting
    assert desk(api, "/@worklist", "admin")["figures"]["ballots_held"] == 1
    rows = {d["title"]: d for d in city["districts"]}
    assert len(rows) == 11 and rows["天河区"]["communities"] == 3 and rows["天河区"]["with_register"] == 1
    page = as_role("admin").get("/@worklist")
    assert "5 个小区中 2 个已建立投票数据库" in page.text
    assert page.click(href="/tianhe/@worklist").status_int == 200


def test_the_street_worklist_counts_every_line_and_spells_out_a_batch(api, as_role):
    from tests.ballot_helpers import BALLOTS, days

    organizer, headers = api("organizer")
    for n in range(3):
        path = organizer.post_json(BALLOTS, {"@type": "Ballot", "title": f"分页表决{n}", "start_date": days(20),
                                             "end_date": days(25),
                                             "matters": [{"title": "事项", "text": "全文", "category": 4}]},
                                   headers=headers).json["@id"].replace("http://localhost", "")
        organizer.post_json(path + "/@workflow/submit", {"comment": ""}, headers=headers)
    client, headers = api("street")
    first = client.get("/tianhe/shipai/@worklist?limit=2", headers=headers).json
    total = first["items_total"]
    assert len(first["items"]) == 2 and total >= 4 and first["counts"]["review"] == 3
    following = client.get(first["batching"]["next"], headers=headers).json
    assert following["items"][0] not in first["items"] and "previous" in following["batching"]
    page = as_role("street").get("/tianhe/shipai/@worklist?limit=2")
    assert f"第 1 至 2 项，共 {total} 项" in page.text
    later = page.click(linkid=None, href="start=2")
    assert "上一页" in later.text


def test_the_evolve_step_gives_an_older_catalog_the_desk_indexes(app, portal_in):
    from portal.catalog import query
    from portal.desks import add_desk_indexes

    with portal_in(commit=True) as portal:
        for name in ("registered", "gaps", "staff"):
            del portal.catalog[name]
        assert getattr(portal, "coverage_series", None) is None        # a new database makes it on first use
    with portal_in(commit=True) as portal:
        add_desk_indexes(portal)
    with portal_in() as portal:
        assert query.count(portal, type_name="Community", registered=False) == 3
        assert query.paths(portal, staff=portal.accounts.by_login("district").uid) == ["/tianhe"]
        assert portal.coverage_series.of("/") == []
