"""Drafting elections and choices (issue 14): the JSON API and the form share one schema, bad
input is refused at the field in Chinese, candidates are numbered, the street office confirms
each candidate, and the notice cannot be published before it has."""
from tests.ballot_helpers import BALLOTS, days

ELECTION = {"kind": "election", "title": "选举第三届业主委员会委员", "text": "应选委员5名，候补2名。", "category": 9,
            "seats": 2, "alternates": 1,
            "candidates": [{"name": "张三", "statement": "退休教师，愿为业主服务。"}, {"name": "李四"},
                           {"name": "王五", "statement": ""}]}
CHOICE = {"kind": "choice", "title": "物业服务企业的选聘方式", "text": "请选择一种方式。", "category": 4,
          "options": [{"title": "续聘现物业服务企业", "text": "续聘三年"}, {"title": "公开招标"},
                      {"title": "其他方案", "text": "由业委会另行提出"}]}
QUESTION = {"title": "修订管理规约", "text": "全文见附件。", "category": 2}


def ballot_body(*matters, start=17, last=26):
    return {"@type": "Ballot", "title": "2027年第一次业主大会", "start_date": days(start), "end_date": days(last),
            "matters": list(matters)}


def create(api, *matters, status=201):
    client, headers = api("organizer")
    return client.post_json(BALLOTS, ballot_body(*matters), headers=headers, status=status)


def test_a_ballot_holds_all_three_kinds_with_numbered_candidates_and_options(api):
    res = create(api, QUESTION, ELECTION, CHOICE)
    question, election, choice = res.json["matters"]
    assert question["kind"] == "question" and question["id"] == "m1"
    assert election["kind"] == "election" and election["category"] == 3      # always category 3
    assert [c["id"] for c in election["candidates"]] == ["c1", "c2", "c3"]
    assert election["candidates"][0]["statement"] == "退休教师，愿为业主服务。"
    assert election["candidates"][0]["check"]["eligible"] is None
    assert (election["seats"], election["alternates"]) == (2, 1)
    assert [o["id"] for o in choice["options"]] == ["o1", "o2", "o3"] and choice["rule"] == "ordinary"
    assert "candidates" not in question and "options" not in question and "seats" not in choice


def field_errors(res):
    return res.json["errors"]


def test_bad_elections_and_choices_are_refused_at_the_field(api, portal_in):
    cases = [
        (dict(ELECTION, seats=0), "matters.0.seats", "1 至 21"),
        (dict(ELECTION, seats=22), "matters.0.seats", "1 至 21"),
        (dict(ELECTION, alternates=11), "matters.0.alternates", "0 至 10"),
        (dict(ELECTION, seats=4), "matters.0.candidates", "少于应选人数"),
        (dict(ELECTION, candidates=[]), "matters.0.candidates", "至少添加一位候选人"),
        (dict(ELECTION, candidates=[{"name": "张三"}, {"name": "张三"}]), "matters.0.candidates", "候选人重复"),
        (dict(CHOICE, options=[{"title": "续聘"}]), "matters.0.options", "2 至 10"),
        (dict(CHOICE, options=[{"title": "续聘"}, {"title": "续聘"}]), "matters.0.options", "方案重复"),
        (dict(QUESTION, kind="vote"), "matters.0.kind", ""),
        (dict(ELECTION, candidates="张三"), "matters.0.candidates", ""),
        (dict(ELECTION, seats="five"), "matters.0.seats", ""),
    ]
    for matter, field, words in cases:
        res = create(api, matter, status=400)
        errors = field_errors(res)
        assert field in errors, (matter, errors)
        assert words in errors[field], (matter, errors)
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["mingyuan"]["ballots"]) == 3     # the demo's three only (b1-b3)


def step(api, path, login, transition, status=200):
    client, headers = api(login)
    return client.post_json(path + "/@workflow/" + transition, {"comment": ""}, headers=headers, status=status)


def check(api, path, candidate, eligible, status=200, login="street"):
    client, headers = api(login)
    return client.post_json(path + "/@candidates", {"matter": "m1", "candidate": candidate, "eligible": eligible,
                                                    "note": "核对不动产登记"}, headers=headers, status=status)


def test_publishing_waits_for_every_candidate_to_be_confirmed(api, portal_in):
    path = create(api, ELECTION).json["@id"].replace("http://localhost", "")
    check(api, path, "c1", True, status=403)                        # not while a draft
    step(api, path, "organizer", "submit")
    check(api, path, "c1", True, status=403, login="organizer")     # only the street office
    check(api, path, "c9", True, status=400)
    check(api, path, "c1", "yes", status=400)                       # JSON booleans only
    assert check(api, path, "c1", True).json["eligible"] is True
    check(api, path, "c2", False)
    step(api, path, "street", "approve")
    check(api, path, "c3", True)                                    # still possible once approved
    refused = step(api, path, "street", "publish_notice", status=409)
    assert "李四" in refused.json["message"] and "张三" not in refused.json["message"]
    check(api, path, "c2", True)
    step(api, path, "street", "publish_notice")
    client, headers = api("street")
    ballot = client.get(path, headers=headers).json
    assert ballot["phase"] == "notice"
    assert [c["check"]["eligible"] for c in ballot["matters"][0]["candidates"]] == [True, True, True]
    with portal_in() as portal:
        actions = [e["action"] for e in portal.audit_log.under(path)]
        assert actions.count("ballot.candidate_check") == 4


def test_the_notice_and_the_ballot_page_say_how_each_kind_is_decided(api, as_role):
    path = create(api, QUESTION, ELECTION, CHOICE).json["@id"].replace("http://localhost", "")
    page = as_role("organizer").get(path)
    assert "张三" in page.text and "退休教师" in page.text and "公开招标" in page.text
    assert "最多同意 2 位" in page.text and "2 个席位" in page.text
    assert "否则不采用任何方案" in page.text and "参与表决人数过半数的业主同意" in page.text


def test_the_edit_form_keeps_candidates_and_options(api, as_role, portal_in):
    path = create(api, ELECTION, CHOICE).json["@id"].replace("http://localhost", "")
    form = as_role("organizer").get(path + "/@edit").forms["form"]
    names = [f.value for f in form.fields["name"]]
    assert names == ["张三", "李四", "王五"]
    form.set("name", "李四（更正）", index=1)
    form.submit("save", status=302)
    with portal_in() as portal:
        ballot = portal.unrestrictedTraverse(path) if hasattr(portal, "unrestrictedTraverse") else None
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"][path.rsplit("/", 1)[1]]
        election, choice = ballot.matters
        assert [c["name"] for c in election["candidates"]] == ["张三", "李四（更正）", "王五"]
        assert [o["title"] for o in choice["options"]] == ["续聘现物业服务企业", "公开招标", "其他方案"]
