"""Written proxies (委托投票, issue 19): entered by the organizer like a paper ballot with the scan
of the signed authorisation, the proxy's name (encrypted, shown only at the desk) and the directed
choices; reviewed by street staff; the owner's own electronic vote prevails, in both orders."""
import datetime
import json
import logging

from webtest import Upload

from portal import clock
from portal.ballots.rules import midnight
from portal.voting.box import ELECTRONIC, PAPER, PROXY, replaces
from tests.test_paper import PDF, ballot_of, radios, unbound_unit, unit_of
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

PROXY_NAME = "欧阳受托"


def test_the_owners_electronic_vote_always_prevails_over_a_proxy():
    for prevails in (True, False):
        for change in (True, False):
            assert replaces(PROXY, ELECTRONIC, change, prevails)           # the owner votes after the proxy
            assert not replaces(ELECTRONIC, PROXY, change, prevails)       # a proxy after the owner's vote
    assert replaces(None, PROXY, False, True)
    assert not replaces(PAPER, PROXY, False, True) and not replaces(PROXY, PAPER, False, True)
    assert replaces(PAPER, PROXY, True, False)                              # other channels: as before


def setting(portal_in, **values):
    with portal_in(commit=True) as portal:
        for name, value in values.items():
            setattr(ballot_of(portal), name, value)


def enter_proxy(as_role, unit_id, choices=("agree", "oppose", "abstain"), name=PROXY_NAME, status="*"):
    page = as_role("organizer").get(BALLOT + "/@proxy")
    form = page.forms["form"]
    form["unit"] = unit_id
    form["proxy_name"] = name
    for field, choice in zip(radios(form), choices):
        form[field] = choice
    form["upload"] = Upload("authorisation.pdf", PDF)
    return form.submit("enter", status=status)


def review(as_role, paper_id="p1"):
    page = as_role("street").get(BALLOT + "/@paper-entry", {"id": paper_id})
    assert PROXY_NAME in page.text                                      # the desk sees the proxy's name
    form = [f for f in page.forms.values() if f.action.endswith("@paper-review")][0]
    return form.submit("decision", value="approve").follow()


def test_a_proxy_is_entered_reviewed_and_counted_on_its_own_channel(app, as_role, portal_in, api, caplog):
    caplog.set_level(logging.DEBUG)
    voting_time(portal_in)
    unit = unbound_unit(portal_in)
    assert enter_proxy(as_role, unit).status_int == 302
    desk = as_role("street").get(BALLOT + "/@paper")
    assert "书面委托" in desk.text and PROXY_NAME not in desk.text       # the name only on the entry's page
    page = review(as_role)
    assert "已批准，计入" in page.text
    street, headers = api("street")
    items = street.get(BALLOT + "/@paper", headers=headers).json["items"]
    assert items[0]["kind"] == "proxy" and items[0]["state"] == "approved"
    assert PROXY_NAME not in json.dumps(items, ensure_ascii=False)
    with portal_in() as portal:
        ballot = ballot_of(portal)
        assert ballot.box.channels()["proxy"][0] == 1
        stored = ballot.paper["p1"]["proxy_name_enc"]
        entries = json.dumps([dict(e) for e in portal.audit_log.under(BALLOT)], ensure_ascii=False, default=str)
        assert ballot.paper["p1"]["entered_by"] not in {a.uid for a in portal.accounts.values()
                                                        if a.login.startswith("owner")}
    assert PROXY_NAME.encode() not in stored and app.registry.personal_data.decrypt(stored) == PROXY_NAME
    assert PROXY_NAME not in entries and PROXY_NAME not in caplog.text
    end_and_disclose(portal_in, api)
    client, owner_headers = owner(app, "owner1")
    record = client.get(BALLOT + "/@record", headers=owner_headers).json
    assert [v["channel"] for v in record["votes"]] == ["proxy"]
    assert PROXY_NAME not in json.dumps(record, ensure_ascii=False)
    organizer, organizer_headers = api("organizer")
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(organizer.get(BALLOT + "/@filing.zip", headers=organizer_headers).body))
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
    assert PROXY_NAME not in everything
    assert json.loads(archive.read("count_record.json"))["proxies"] == 1


def end_and_disclose(portal_in, api):
    with portal_in() as portal:
        end = ballot_of(portal).end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {"comment": ""}, headers=headers)
    clock.set_now(clock.now() + datetime.timedelta(days=9))


def test_the_owner_votes_after_the_proxy_was_approved(app, as_role, portal_in):
    voting_time(portal_in)
    setting(portal_in, electronic_prevails=False)            # even so: the owner's own vote prevails
    enter_proxy(as_role, unit_of(portal_in, "owner2"))
    review(as_role)
    client, headers = owner(app, "owner2")
    client.post_json(BALLOT + "/@vote", {"votes": dict(ALL_AGREE, m1="oppose")}, headers=headers)
    with portal_in() as portal:
        ballot = ballot_of(portal)
        assert ballot.paper["p1"]["state"] == "flagged"
        assert [r["channel"] for _k, r in ballot.box.records()] == ["electronic"]
        assert ballot.box.channels()["proxy"] == [0, 0]
    page = as_role("street").get(BALLOT + "/@paper")
    assert "不计入" in page.text and "以电子投票为准" in page.text


def test_the_owner_voted_before_the_proxy(app, as_role, portal_in, api):
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    page = as_role("organizer").get(BALLOT + "/@proxy", {"q": "", "unit": unit_of(portal_in, "owner1")})
    assert "以电子投票为准" in page.html.select_one("p.notice[role=alert]").text      # said before the entry
    enter_proxy(as_role, unit_of(portal_in, "owner1"))
    page = review(as_role)
    assert "不计入" in page.text and "以电子投票为准" in page.text
    with portal_in() as portal:
        assert [r["channel"] for _k, r in ballot_of(portal).box.records()] == ["electronic"]


def test_a_ballot_that_refuses_proxies_says_why(app, as_role, portal_in, api):
    voting_time(portal_in)
    page = as_role("organizer").get(BALLOT + "/@proxy")
    form = page.forms["form"]
    setting(portal_in, allow_proxies=False)
    form["unit"] = unbound_unit(portal_in)
    form["proxy_name"] = PROXY_NAME
    for field, choice in zip(radios(form), ("agree", "oppose", "abstain")):
        form[field] = choice
    form["upload"] = Upload("authorisation.pdf", PDF)
    refused = form.submit("enter", status=409)
    assert "本次表决不接受书面委托投票" in refused.text
    assert "书面委托" not in as_role("organizer").get(BALLOT + "/@paper").html.select_one("p.paper-links").text
    organizer, headers = api("organizer")
    answer = organizer.post(BALLOT + "/@proxy", {"unit": unbound_unit(portal_in), "votes": json.dumps(ALL_AGREE),
                                                 "proxy_name": PROXY_NAME},
                            upload_files=[("scan", "a.pdf", PDF)], headers=headers, status=409).json
    assert answer["error"] == "no_proxies" and "不接受书面委托投票" in answer["message"]
    with portal_in() as portal:
        assert not ballot_of(portal).paper


def test_the_ballot_setting_is_in_the_draft_form_and_the_json(as_role, portal_in, api):
    from tests.ballot_helpers import BALLOTS, ballot_path, days, fill_date

    organizer, headers = api("organizer")
    assert organizer.get(BALLOT, headers=headers).json["allow_proxies"] is True      # the default
    client = as_role("organizer")
    form = client.get(BALLOTS + "@add", {"matters": 1}).forms["form"]
    assert form["allow_proxies"].checked
    form.set("title", "不接受委托的表决", index=0)
    fill_date(form, 0, days(30))
    fill_date(form, 1, days(35))
    form.set("title", "事项", index=1)
    form["text"], form["category"] = "说明", "1"
    form["allow_proxies"] = False
    saved = form.submit("save", status=302)
    data = organizer.get(ballot_path(saved).rstrip("/"), headers=headers).json
    assert data["allow_proxies"] is False and data["allow_paper"] is True
    body = {"@type": "Ballot", "title": "x", "start_date": days(30), "end_date": days(35),
            "matters": [{"title": "m", "text": "t", "category": 1}]}
    refused = organizer.post_json(BALLOTS, dict(body, allow_proxies="不"), headers=headers, status=400).json
    assert "allow_proxies" in refused["errors"]
    created = organizer.post_json(BALLOTS, dict(body, allow_proxies=False), headers=headers, status=201).json
    assert created["allow_proxies"] is False


def test_a_proxy_by_json(app, portal_in, api):
    voting_time(portal_in)
    organizer, headers = api("organizer")
    created = organizer.post(BALLOT + "/@proxy", {"unit": unbound_unit(portal_in), "votes": json.dumps(ALL_AGREE),
                                                  "proxy_name": PROXY_NAME},
                             upload_files=[("scan", "a.pdf", PDF)], headers=headers, status=201).json
    assert created["kind"] == "proxy" and created["state"] == "pending" and PROXY_NAME not in json.dumps(created)
    missing = organizer.post(BALLOT + "/@proxy", {"unit": unbound_unit(portal_in), "votes": json.dumps(ALL_AGREE)},
                             upload_files=[("scan", "a.pdf", PDF)], headers=headers, status=400).json
    assert "proxy_name" in missing["errors"]
