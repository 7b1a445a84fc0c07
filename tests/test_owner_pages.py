"""The owner's way through the portal (issue 16): /@my says what to do now, receipts people keep,
password reset by SMS, communities found by name, refusals in words, unbinding asked first,
elderly mode, the guide, results that read on a phone."""
import datetime

from portal import clock
from portal.ballots.rules import midnight
from tests.binding_helpers import MINGYUAN, last_code, outbox, sign_up
from tests.conftest import browser
from tests.test_voting import ALL_AGREE, BALLOT, voting_time


def close_and_publish(portal_in, api):
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {}, headers=headers)
    return end


def my_status(page, title="2026年第一次业主共同决定事项表决"):
    for li in page.html.select("li.my-ballot"):
        if li.select_one(".my-ballot-title").text.strip() == title:
            return li["class"][1], li.select_one(".my-status").text.strip()
    raise AssertionError(f"{title} not on /@my")


def test_my_home_says_what_each_ballot_asks_now(app, as_role, portal_in, api):
    owner = as_role("owner1")
    key, words = my_status(owner.get("/@my"))
    assert key == "status-upcoming" and words.startswith("投票将于") and "0时开始" in words
    voting_time(portal_in)
    page = owner.get("/@my")
    key, words = my_status(page)
    assert key == "status-to-vote" and words.startswith("投票中，您尚未投票，截止") and words.endswith("24时。")
    assert page.html.select_one("li.status-to-vote a.btn-primary")["href"].endswith("b2/@vote")
    client, headers = api("owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    page = owner.get("/@my")
    key, words = my_status(page)
    assert key == "status-voted" and words.startswith("您已投票（")
    # the receipt is kept by the browser (the server has only its hash): the slot for it is there
    kept = page.html.select_one("li.status-voted .receipt-kept")
    assert kept["data-ballot"] == BALLOT + "/" and kept.select_one("button.copy-receipt")
    assert "receipts.js" in page.text
    close_and_publish(portal_in, api)
    key, words = my_status(owner.get("/@my"))
    assert key == "status-preliminary" and "异议期至" in words and "最终结果" in words
    assert my_status(owner.get("/@my"))[0] == "status-preliminary"
    assert owner.get("/@my").html.select_one("li.status-preliminary a")["href"].endswith("b2/")


def test_my_home_lists_the_latest_notices(app, as_role):
    page = as_role("owner1").get("/@my")
    notices = [a.text for a in page.html.select(".my-community .children a")]
    assert any("2026年第一次业主共同决定事项表决" in n and "24时" in n for n in notices)


def test_my_home_lists_the_filed_documents_owners_may_read(app, as_role):
    from tests.test_documents import file_document, publish

    district = as_role("district")
    publish(district, file_document(district).location.replace("http://localhost", ""))
    file_document(district, title="管理规约草案（未公布）", doc_type="management_statute")
    page = as_role("owner1").get("/@my")
    titles = [a.text for a in page.html.select(".my-community .children a")]
    assert any("明苑小区业主大会议事规则" in t for t in titles)
    assert not any("未公布" in t for t in titles)


def test_my_json_carries_the_status(app, api):
    client, headers = api("owner1")
    ballots = client.get("/@my", headers=headers).json["communities"][0]["ballots"]
    b2 = [b for b in ballots if b["@id"].endswith("/b2")][0]
    assert b2["status"] == "upcoming" and b2["message"].startswith("投票将于")


def test_a_closed_ballot_says_when_results_come_instead_of_not_allowed(app, as_role, portal_in, api):
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    page = as_role("owner1").get(BALLOT + "/@vote", status=403)
    assert page.html.select_one("h1").text == "现在不能投票"
    why = page.html.select_one("p.why").text
    assert why.startswith("投票已于") and "24时结束" in why and "初步结果将在本表决页面公示" in why
    close_and_publish(portal_in, api)
    why = as_role("owner1").get(BALLOT + "/@vote", status=403).html.select_one("p.why").text
    assert "初步结果已公示，异议期至" in why


def test_a_refusal_says_where_and_who_may(app, as_role):
    page = as_role("owner1").get(MINGYUAN + "register/", status=403)
    why = page.html.select_one("p.why").text
    assert "电子投票数据库" in why and "已绑定的小区" in why
    page = as_role("organizer").get("/tianhe/@edit", status=403)
    assert "没有可以执行此操作的角色" in page.html.select_one("p.why").text


def test_the_receipt_check_reads_the_code_as_people_type_it(app, as_role, portal_in, api):
    voting_time(portal_in)
    client, headers = api("owner1")
    code = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers).json["receipt"]
    owner = as_role("owner1")
    plain = code.replace("-", "")
    for typed in (code, code.lower(), " ".join(plain[i:i + 4] for i in range(0, 12, 4)), plain.lower(),
                  code.replace("-", "－"), f"  {code}  "):
        page = owner.get(BALLOT + "/@receipt", params={"code": typed})
        assert page.html.select("ol.choices li"), typed
    assert not owner.get(BALLOT + "/@receipt", params={"code": "AAAA-BBBB-CCCC"}).html.select("ol.choices li")


def test_the_receipt_page_keeps_the_code_on_one_line_with_a_copy_button(app, as_role, portal_in):
    voting_time(portal_in)
    owner = as_role("owner1")
    form = owner.get(BALLOT + "/@vote").forms["form"]
    for name, fields in form.fields.items():
        if type(fields[0]).__name__ == "Radio":
            form[name] = "agree"
    receipt = form.submit("review").forms["confirm"].submit("confirm")
    code = receipt.html.select_one("code.receipt-code")
    assert code["data-keep-ballot"] == BALLOT + "/" and len(code.text) == 14
    assert receipt.html.select_one("button.copy-receipt")
    css = owner.get("/static/portal.css").text
    assert ".receipt-code { white-space: nowrap;" in css


def test_the_sign_in_page_links_to_sign_up_and_reset(app, anon):
    page = anon.get("/@login")
    hrefs = [a["href"] for a in page.html.select(".login-links a")]
    assert any(h.endswith("/@reset") for h in hrefs) and any(h.endswith("/@register") for h in hrefs)


def ask_reset(client, phone):
    form = client.get("/@reset").forms["form"]
    form["phone"] = phone
    return form.submit("send", status="*")


def test_password_reset_by_sms_code(app):
    clock.set_now(clock.now())
    sign_up(app, "13712340001", "first-password")
    sent_before = len(outbox(app))
    stranger = ask_reset(browser(app), "13712340002")           # no account with this number
    assert len(outbox(app)) == sent_before                       # nothing sent ...
    client = browser(app)
    page = ask_reset(client, "13712340001")
    assert len(outbox(app)) == sent_before + 1
    # ... and the same answer either way (only the masked number differs)
    flash = lambda p: p.html.select_one(".flash").text.strip()   # noqa: E731
    assert flash(stranger).replace("0002", "####") == flash(page).replace("0001", "####")
    form = page.forms["form"]
    form["code"] = "000000" if last_code(app, "13712340001") != "000000" else "111111"
    form["new_password"] = form["new_password-confirm"] = "second-password"
    wrong = form.submit("reset", status=400)
    assert "验证码错误" in wrong.text
    form = wrong.forms["form"]
    form["code"] = last_code(app, "13712340001")
    form["new_password"] = form["new_password-confirm"] = "second-password"
    done = form.submit("reset")
    assert done.status_int == 302 and done.location.endswith("/@my")
    login = browser(app).get("/@login").forms["form"]
    login["login"], login["password"] = "13712340001", "first-password"
    assert login.submit("signin", status=400)
    login = browser(app).get("/@login").forms["form"]
    login["login"], login["password"] = "13712340001", "second-password"
    assert login.submit("signin").status_int == 302


def test_a_sign_up_code_does_not_reset_a_password(app):
    clock.set_now(clock.now())
    sign_up(app, "13712340003", "first-password")
    client = browser(app)
    form = client.get("/@register").forms["form"]
    form["phone"] = "13712340003"
    form.submit("send")                                          # a sign-up code, not a reset code
    page = ask_reset(browser(app), "13712340099")
    form = page.forms["form"]
    form["phone"] = "13712340003"
    form["code"] = last_code(app, "13712340003")
    form["new_password"] = form["new_password-confirm"] = "second-password"
    assert form.submit("reset", status=400)


def test_reset_codes_are_throttled_like_sign_up_codes(app):
    clock.set_now(clock.now())
    for _ in range(5):
        ask_reset(browser(app), "13712340004")
    page = ask_reset(browser(app), "13712340004")
    assert page.status_int == 400 and "获取验证码次数过多" in page.text


def test_reset_by_api(app):
    clock.set_now(clock.now())
    sign_up(app, "13712340005", "first-password")
    client = browser(app)
    assert client.post_json("/@reset", {"phone": "13712340005"}).json["sent"] is True
    assert client.post_json("/@reset", {"phone": "13712340006"}).json["sent"] is True
    body = {"phone": "13712340005", "code": last_code(app, "13712340005"), "new_password": "second-password"}
    assert client.post_json("/@reset", body).json["token"]
    assert client.post_json("/@reset", dict(body, code="123456"), status=400).json["error"] == "refused"


def test_find_my_community_by_name(app, anon):
    page = anon.get("/@search", params={"q": "明苑"})
    found = [(a.text, a["href"]) for a in page.html.select("section a")]
    assert any("明苑小区" in text and href.endswith(MINGYUAN) for text, href in found)
    assert "天河区" in page.html.select("section small")[0].text
    home = anon.get("/")
    form = home.forms[0] if home.forms[0].action.endswith("@search") else [
        f for f in home.forms.values() if f.action.endswith("@search")][0]
    form["q"] = "明苑"
    assert "明苑小区" in form.submit().text
    assert [i for i in anon.get("/@search", params={"q": "明苑"}, headers={"Accept": "application/json"}).json["items"]
            if i["@type"] == "Community"]


def test_the_evolve_step_indexes_existing_communities(app, portal_in):
    from portal.search.communities import index_communities

    with portal_in(commit=True) as portal:
        portal.search_index.unindex("/tianhe/shipai/mingyuan")
        assert "/tianhe/shipai/mingyuan" not in portal.search_index.search("明苑")
        index_communities(portal)
        assert "/tianhe/shipai/mingyuan" in portal.search_index.search("明苑")


def test_a_renamed_community_is_found_by_its_new_name(app, as_role, anon):
    form = as_role("street").get(MINGYUAN + "@edit").forms["form"]
    form["title"] = "新明苑花园"
    form.submit("save")
    assert "新明苑花园" in anon.get("/@search", params={"q": "花园"}).text


def test_unbinding_by_staff_says_what_it_costs(app, as_role, portal_in):
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        uid = portal.accounts.by_login("owner2").uid
        id_hash = [h for h, r in register.bindings.items() if r["uid"] == uid][0]
        unit = register.units_of(id_hash)[0]
        index = [i for i, o in enumerate(unit.owners) if o.id_hash == id_hash][0]
    page = as_role("street").get(MINGYUAN + f"register/{unit.__name__}/@unbind", params={"i": index})
    assert "重新领取绑定码" in page.html.select_one(".confirm").text
    assert "btn-danger" in page.html.select_one("button[name=unbind]")["class"]


def test_elderly_mode_is_a_remembered_switch(app, anon):
    page = anon.get("/")
    assert page.html.select_one("html").get("class") is None
    switch = page.html.select_one("a.elderly-switch")
    assert switch.text.strip() == "长辈模式"
    anon.get(switch["href"]).follow()
    page = anon.get("/tianhe/shipai/mingyuan/")
    assert page.html.select_one("html")["class"] == ["elderly"]
    assert page.html.select_one("a.elderly-switch").text.strip() == "标准模式"
    assert "secondary" in page.html.select_one("nav.crumbs")["class"]       # hidden in elderly mode
    anon.get(page.html.select_one("a.elderly-switch")["href"])
    assert anon.get("/").html.select_one("html").get("class") is None
    assert anon.get("/@elderly", params={"set": "on", "came_from": "//evil.example/"}).location == "http://localhost/"


def test_the_guide_on_the_home_page_gives_the_street_office_phone(app, as_role, portal_in):
    with portal_in(commit=True) as portal:
        portal["tianhe"]["shipai"].office_phone = "020-8888 1234"
    home = as_role("owner1").get("/")
    guide = home.html.select_one("#guide")
    assert guide.select_one("h2").text == "如何投票"
    steps = [li.select_one("strong").text for li in guide.select("ol.guide-steps > li")]
    assert steps == ["绑定", "投票", "核对回执", "求助"]
    assert guide.select_one('a[href="tel:020-88881234"]').text == "020-8888 1234"
    assert "石牌街道" in guide.text
    anonymous = browser(app).get("/").html.select_one("#guide")
    assert "电话见您小区的页面" in anonymous.text
    assert "020-8888 1234" in browser(app).get(MINGYUAN).html.select_one("#guide").text


def test_results_read_on_a_phone(app, as_role, portal_in, api):
    voting_time(portal_in)
    for login in ("owner1", "owner2"):
        client, headers = api(login)
        client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    close_and_publish(portal_in, api)
    page = as_role("owner3").get(BALLOT + "/@results")
    assert page.html.select_one(".stage").text.startswith("初步结果（异议期至")
    first = page.html.select("section.result")[0]
    assert first.select_one(".headline").text.strip() == "✗ 未通过"
    assert "参与表决的业主人数和专有部分面积均不足三分之二" in first.select_one(".why").text
    participation = first.select_one(".participation").text
    assert "业主 2 / " in participation and "面积 " in participation and "m²（" in participation
    import re

    assert re.fullmatch(r"业主 2 / \d+（\d+\.\d%） · 面积 [\d,]+\.\d\d / [\d,]+\.\d\d m²（\d+\.\d%）",
                        " ".join(participation.split()))
    cells = first.select("table.result-table tbody tr")[0].select("td")
    assert cells[0].text.strip().startswith("业主 2（100.0%）")
    assert cells[1].text.strip().startswith("面积 ") and "m²（100.0%）" in cells[1].text


def test_the_voting_page_of_a_draft_tells_nothing_to_who_may_not_see_it(app, as_role):
    page = as_role("owner1").get("/tianhe/shipai/mingyuan/ballots/b1/@vote", status=403)
    assert page.html.select_one("h1").text == "不允许" and "投票尚未开始" not in page.text
    organizer = as_role("organizer").get("/tianhe/shipai/mingyuan/ballots/b1/@vote", status=403)
    assert organizer.html.select_one("h1").text == "现在不能投票" and "投票尚未开始" in organizer.text
