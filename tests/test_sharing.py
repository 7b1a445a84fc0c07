"""Granting local roles through the sharing page and the API, each by someone above it."""
from tests.conftest import browser, sign_in


def create_account(admin, login):
    form = admin.get("/@accounts").forms["form"]
    form["login"], form["title"] = login, f"{login} office"
    form["password"] = form["password-confirm"] = f"{login}-password"
    return form.submit("create", status="*")


def test_admin_creates_an_account_and_district_staff_make_it_street_staff(as_role, app, portal_in):
    admin = as_role("admin")
    create_account(admin, "newclerk").follow()
    clerk = as_role("district")
    page = clerk.get("/tianhe/linhe/").click(href="@sharing")
    form = page.forms["grant"]
    assert [value for value, _sel, _text in form["role"].options] == ["street"]
    form["login"], form["role"] = "newclerk", "street"
    page = form.submit("grant").follow()
    assert "newclerk" in page.text
    newclerk = browser(app)
    assert sign_in(newclerk, "newclerk", "newclerk-password").status_int == 302
    assert newclerk.get("/tianhe/linhe/@add").status_int == 200
    newclerk.get("/tianhe/shipai/@add", status=403)
    with portal_in() as portal:
        entry = portal.audit_log.under("/tianhe/linhe")[0]
        assert entry["action"] == "sharing.grant" and entry["detail"]["role"] == "street"
        assert "newclerk" not in str(entry)    # the audit names accounts by uid only


def test_inherited_roles_are_listed_read_only(as_role):
    page = as_role("street").get("/tianhe/shipai/mingyuan/@sharing")
    inherited = page.html.select("section")[-1].text
    assert "street" in inherited and "district" in inherited and "admin" in inherited
    assert "organizer" in page.html.select("table")[0].text


def test_street_staff_grant_organizers_but_not_district_staff(as_role, api):
    clerk = as_role("street")
    clerk.get("/tianhe/@sharing", status=403)        # not their node
    client, headers = api("street")
    res = client.post_json("/tianhe/shipai/@sharing", {"login": "street", "role": "district"},
                           headers=headers, status=403)
    assert res.json["message"] == "您无权在此授予或撤销该角色。"
    res = client.post_json("/tianhe/shipai/@sharing", {"login": "street", "role": "street"},
                           headers=headers, status=403)
    res = client.post_json("/tianhe/shipai/qiaoyuan/@sharing", {"login": "organizer", "role": "organizer"},
                           headers=headers)
    assert {"login": "organizer", "title": "明苑小区业主委员会", "role": "organizer"} in res.json["granted"]


def test_revoking_through_the_page(as_role, app):
    clerk = as_role("street")
    page = clerk.get("/tianhe/shipai/mingyuan/@sharing")
    revoke = [f for f in page.forms.values() if f.action.endswith("@sharing-revoke")][0]
    assert revoke["login"].value == "organizer"
    revoke.submit().follow()
    organizer = browser(app)
    sign_in(organizer, "organizer")
    organizer.get("/tianhe/shipai/mingyuan/@sharing", status=403)


def test_granting_to_an_unknown_login_explains_and_changes_nothing(as_role, portal_in):
    clerk = as_role("street")
    form = clerk.get("/tianhe/shipai/qiaoyuan/@sharing").forms["grant"]
    form["login"], form["role"] = "no-such-account", "organizer"
    page = form.submit("grant", status=400)
    assert "没有使用此登录名的账号" in page.text
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["qiaoyuan"].local_roles) == 0


def test_the_accounts_page_refuses_a_taken_login(as_role):
    admin = as_role("admin")
    page = create_account(admin, "street")
    assert page.status_int == 400 and "此登录名已被使用" in page.text


def test_only_city_administrators_manage_accounts(as_role):
    as_role("district").get("/@accounts", status=403)
