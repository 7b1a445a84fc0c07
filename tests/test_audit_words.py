"""The audit log in words (issue 20): every action id the code audits has a sentence, entries
name the actor's office (never a person), filters by action and date, CSV export, raw fields."""
import ast
import csv
import datetime
import io
import pathlib

from portal import clock
from portal.audit import words
from tests.test_objections import preliminary
from tests.test_voting import BALLOT

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "portal"
WORKFLOWED = ("ballot", "document")         # f"{type_name.lower()}.transition"
STREET_AUDIT = "/tianhe/shipai/@audit"
CITY_AUDIT = "/@audit"


def action_argument(call):
    """The action argument of an auditing call, or None: ``<x>.audit(action, ...)``,
    ``audit_log.append(when, actor, action, ...)``, and the helpers taking an action third
    (``changed(request, unit, action)``, ``checked(request, ballot, action)``)."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name == "audit" and call.args:
        return call.args[0]
    if name == "append" and isinstance(func, ast.Attribute) and getattr(func.value, "attr", None) == "audit_log":
        return call.args[2] if len(call.args) > 2 else None
    if name in ("changed", "checked") and len(call.args) == 3:
        return call.args[2]
    return None


def audited_actions():
    """Every action id the package audits, read from its source."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            arg = action_argument(node)
            if arg is None:
                continue
            if isinstance(arg, ast.JoinedStr):
                suffix = "".join(v.value for v in arg.values if isinstance(v, ast.Constant))
                found.update(kind + suffix for kind in WORKFLOWED)
                continue
            found.update(c.value for c in ast.walk(arg) if isinstance(c, ast.Constant) and isinstance(c.value, str)
                         and "." in c.value)
    return found


def test_every_audited_action_has_a_sentence_and_a_title():
    used = audited_actions()
    assert {"ballot.transition", "sharing.revoke", "objection.answer", "register.unit_add", "rooms.view",
            "register.id_key_rotated"} <= used                   # the finder sees every way of auditing
    assert not used - set(words.SENTENCES), f"audit actions without a sentence: {sorted(used - set(words.SENTENCES))}"
    assert set(words.SENTENCES) == set(words.TITLES)
    assert not set(words.SENTENCES) - used - words.RETIRED, "sentences for actions nothing audits"
    assert not words.RETIRED & used, "a retired action is audited again"


def test_the_actor_is_named_by_office():
    assert words.office("system", None) == words.SYSTEM
    assert words.office("owner", "Community", "明苑小区") == words.OWNER          # never which owner
    assert words.office("staff", "Street", "石牌街道").mapping == {"node": "石牌街道"}
    assert words.office("staff", "Street", "狮岭镇", "town") == words.TOWN_OFFICE
    assert words.office("staff", None) == words.STAFF_WITHOUT_ROLE
    assert words.sentence("x.new", {"actor": "a", "object": "o"}).mapping["action"] == "x.new"


def test_publishing_the_preliminary_results_reads_as_a_sentence(app, portal_in, api, as_role):
    preliminary(app, portal_in, api)
    page = as_role("street").get(STREET_AUDIT)
    assert "石牌街道办事处 公示初步结果：2026年第一次业主共同决定事项表决" in page.text
    assert "一位业主 已投票" not in page.text and "演示业主" not in page.text       # no person's name
    assert "<code>ballot.transition</code>" in page.text and "transition=publish_preliminary" in page.text
    english = as_role("street").get(STREET_AUDIT + "?_LOCALE_=en")
    assert "Shipai" not in english.text and "石牌街道 office Publish preliminary results" in english.text


def test_the_filter_by_action_and_date(app, api, as_role):
    client = as_role("admin")
    clock.set_now(clock.now() + datetime.timedelta(days=3))
    as_role("street")                                       # a sign-in three days later
    form = client.get(CITY_AUDIT).forms["audit-filter"]
    form["action"] = "account.login"
    page = form.submit()
    entries = page.html.select("ol.audit > li")
    assert entries and all("account.login" in e.text for e in entries)
    staff, headers = api("admin")
    items = staff.get(CITY_AUDIT + "?action=account.login", headers=headers).json["items"]
    assert items and {i["action"] for i in items} == {"account.login"} and items[0]["sentence"]
    today = clock.local(clock.now()).date()
    later = staff.get(CITY_AUDIT, {"since": (today + datetime.timedelta(days=1)).isoformat()}, headers=headers)
    assert later.json["items"] == []
    earlier = staff.get(CITY_AUDIT, {"until": (today - datetime.timedelta(days=1)).isoformat()}, headers=headers)
    assert earlier.json["items"] and all(datetime.datetime.fromisoformat(i["when"]) < clock.now() - datetime.timedelta(days=2)
                                         for i in earlier.json["items"])


def test_a_bad_filter_is_named_at_its_field_and_keeps_what_was_typed(api, as_role):
    form = as_role("street").get(STREET_AUDIT).forms["audit-filter"]
    form["since"], form["until"] = "2026-05-02", "2026-05-01"
    page = form.submit(status=400)
    assert "结束日期早于开始日期" in page.html.select("#error-until")[0].text
    assert page.forms["audit-filter"]["since"].value == "2026-05-02"
    client, headers = api("street")
    bad = client.get(STREET_AUDIT, {"since": "yesterday"}, headers=headers, status=400).json
    assert "since" in bad["errors"]
    client.get(STREET_AUDIT, {"action": "no.such"}, headers=headers, status=400)
    assert client.get(STREET_AUDIT.replace("@audit", "@audit.csv"), {"since": "x"}, status=400,
                      headers={"Authorization": headers["Authorization"]}).status_int == 400


def test_the_csv_export_carries_the_sentences_and_the_raw_fields(as_role):
    client = as_role("admin")
    page = client.get(CITY_AUDIT + "?action=account.login")
    export = client.get(page.html.select("a[href*='@audit.csv']")[0]["href"])
    assert export.content_type == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "时间", "发生了什么"]
    assert rows[1][2] == "市住房城乡建设局 登录" and rows[1][3] == "account.login" and len(rows[1][7]) == 64
    as_role("organizer").get("/tianhe/shipai/@audit.csv", status=403)
