"""Browsing the tree and adding/editing nodes through the real rendered deform forms."""
import pytest

from tests.conftest import browser


def test_the_city_lists_the_eleven_districts_in_chinese(anon):
    page = anon.get("/")
    assert page.status_int == 200
    for title in ("越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区", "番禺区", "花都区",
                  "南沙区", "从化区", "增城区"):
        assert title in page.text
    assert 'lang="zh-Hans"' in page.text
    assert "登录" in page.text


def test_a_community_page_has_breadcrumbs_down_from_the_city(anon):
    page = anon.get("/tianhe/shipai/mingyuan/")
    crumbs = page.html.select("nav.crumbs li a")
    assert [a.text for a in crumbs] == ["广州市", "天河区", "石牌街道", "明苑小区"]
    assert "明苑物业服务有限公司" in page.text


def test_the_language_switch_is_remembered(anon):
    page = anon.get("/tianhe/")
    english = [a for a in page.html.select(".lang a") if a.text == "English"][0]
    switched = anon.get(english["href"]).follow()
    assert switched.request.path == "/tianhe/"
    assert "Sign in" in switched.text and 'lang="en"' in switched.text
    again = anon.get("/tianhe/shipai/")          # the cookie keeps it
    assert "Sign in" in again.text
    chinese = [a for a in again.html.select(".lang a") if a.text == "中文"][0]
    assert "登录" in anon.get(chinese["href"]).follow().text


def test_the_language_switch_never_redirects_off_site(anon):
    res = anon.get("/@language", {"set": "en", "came_from": "https://evil.example/"})
    assert res.location == "http://localhost/"
    res = anon.get("/@language", {"set": "en", "came_from": "//evil.example/"})
    assert res.location == "http://localhost/"


def test_long_folders_are_paged(app, portal_in, anon):
    from portal.content.models import Community

    with portal_in(commit=True) as portal:
        street = portal["haizhu"]["xingang"]
        for i in range(60):
            street.add(f"c{i:03d}", Community(f"小区{i}", address="x"))
    first = anon.get("/haizhu/xingang/")
    assert "小区0" in first.text and "小区59" not in first.text
    more = first.click(href="start=")
    assert "小区59" in more.text


def test_an_administrator_adds_a_district_through_the_form(as_role, portal_in):
    admin = as_role("admin")
    form = admin.get("/").click(href="@add").forms["form"]
    form["id"] = "newdistrict"
    form["title"] = "新区"
    form["code"] = "440199"
    page = form.submit("add").follow()
    assert page.request.path == "/newdistrict/"
    with portal_in() as portal:
        assert portal["newdistrict"].code == "440199"
        assert portal.audit_log.under("/newdistrict")[0]["action"] == "content.create"


def test_district_staff_add_a_street_in_their_district(as_role, portal_in):
    clerk = as_role("district")
    form = clerk.get("/tianhe/@add").forms["form"]
    form["id"] = "wushan"
    form["title"] = "五山街道"
    form["kind"] = "subdistrict"
    form.submit("add").follow()
    with portal_in() as portal:
        assert portal["tianhe"]["wushan"].title == "五山街道"


def test_street_staff_add_and_edit_a_community(as_role, portal_in):
    clerk = as_role("street")
    form = clerk.get("/tianhe/shipai/@add").forms["form"]
    form["id"] = "huayuan"
    form["title"] = "华苑"
    form["address"] = "天河区石牌华苑路2号"
    form["property_company"] = "华苑物业"
    page = form.submit("add").follow()
    assert "华苑物业" in page.text
    edit = page.click(href="@edit").forms["form"]
    assert edit["address"].value == "天河区石牌华苑路2号"
    edit["property_company"] = "新物业公司"
    edit.submit("save").follow()
    with portal_in() as portal:
        community = portal["tianhe"]["shipai"]["huayuan"]
        assert community.property_company == "新物业公司"
        actions = [e["action"] for e in portal.audit_log.under("/tianhe/shipai/huayuan")]
        assert actions == ["content.edit", "content.create"]


@pytest.mark.parametrize("slug, title, message", [
    ("mingyuan", "重复", "此名称在这里已被使用"),
    ("register", "保留", "此名称为系统保留"),
    ("明苑二期", "中文", "请使用 2 至 40 个小写字母"),
    ("Upper", "大写", "请使用 2 至 40 个小写字母"),
    ("ok-slug", "   ", "必需"),
])
def test_bad_input_gets_a_chinese_message_and_changes_nothing(as_role, portal_in, slug, title, message):
    clerk = as_role("street")
    with portal_in() as portal:
        before = len(portal["tianhe"]["shipai"]), len(portal.audit_log)
    form = clerk.get("/tianhe/shipai/@add").forms["form"]
    form["id"] = slug
    form["title"] = title
    form["address"] = "地址"
    page = form.submit("add", status=400)
    assert message in page.text
    assert page.html.select(".is-invalid")
    with portal_in() as portal:
        assert (len(portal["tianhe"]["shipai"]), len(portal.audit_log)) == before


def test_bad_input_message_in_english_when_english_is_chosen(as_role):
    clerk = as_role("street")
    clerk.set_cookie("_LOCALE_", "en")
    form = clerk.get("/tianhe/shipai/@add").forms["form"]
    form["id"] = "mingyuan"
    form["title"] = ""
    page = form.submit("add", status=400)
    assert "This name is already used here" in page.text
    assert "Required" in page.text


def test_staff_outside_their_subtree_are_refused(as_role):
    clerk = as_role("street")
    page = clerk.get("/tianhe/linhe/@add", status=403)
    assert "您无权" in page.text
    clerk.get("/haizhu/chigang/@add", status=403)
    clerk.get("/tianhe/@add", status=403)


def test_anonymous_users_get_the_sign_in_form_on_a_protected_page(app):
    visitor = browser(app)
    page = visitor.get("/tianhe/shipai/@add", status=403)
    form = page.forms["form"]
    form["login"] = "street"
    form["password"] = "street-demo"
    back = form.submit("signin")
    assert back.location == "http://localhost/tianhe/shipai/@add"
    assert back.follow().forms["form"]


def test_errors_are_summarised_on_top_with_links_to_the_fields(as_role):
    form = as_role("street").get("/tianhe/shipai/@add").forms["form"]
    form["id"], form["title"] = "BAD", ""
    page = form.submit("add", status=400)
    summary = page.html.select("#error-summary li")
    assert [li.a.text for li in summary] == ["网址中的简称", "名称", "地址"]
    assert summary[0].a["href"] == "#" + page.html.select("input[name=id]")[0]["id"]
    assert page.html.select("#error-summary")[0]["role"] == "alert"
