"""Paper ballots: entry with a scan checked by content, review, and one count per unit."""
from webtest import Upload

from portal.binding import service as binding
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def radios(form):
    return [name for name, fields in form.fields.items() if type(fields[0]).__name__ == "Radio"]


def unit_of(portal_in, login):
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        uid = portal.accounts.by_login(login).uid
        return register.units_of(binding.bound_identities(register, uid)[0])[0].__name__


def unbound_unit(portal_in):
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        return [u.__name__ for u in register.values() if u.kind == "dwelling" and len(u.owners) == 1
                and u.owners[0].id_hash not in register.bindings][0]


def enter(as_role, unit_id, scan=PDF, name="ballot.pdf", status="*", choices=("agree", "oppose", "abstain")):
    organizer = as_role("organizer")
    form = organizer.get(BALLOT + "/@paper").forms["form"]
    form["unit"] = unit_id
    for field, choice in zip(radios(form), choices):
        form[field] = choice
    form["upload"] = Upload(name, scan)
    return form.submit("enter", status=status)


def approve(as_role, paper_id="p1", decision="approve", reason=""):
    street = as_role("street")
    page = street.get(BALLOT + "/@paper").click(href=f"@paper-entry\\?id={paper_id}$")
    form = [f for f in page.forms.values() if f.action.endswith("@paper-review")][0]
    form["reason"] = reason
    page = form.submit("decision", value=decision).follow()
    return page


def progress(app):
    client, headers = owner(app, "owner3")
    return client.get(BALLOT + "/@progress", headers=headers).json


def test_an_approved_paper_ballot_counts_like_an_electronic_vote(app, as_role, portal_in):
    voting_time(portal_in)
    entered = enter(as_role, unbound_unit(portal_in))
    assert entered.status_int == 302
    assert progress(app)["voted_owners"] == 0           # not before review
    page = approve(as_role)
    assert "已批准，计入" in page.text
    assert progress(app)["voted_owners"] == 1
    scan = as_role("street").get(BALLOT + "/@paper-scan", {"id": "p1"})
    assert scan.content_type == "application/pdf" and scan.body == PDF
    with portal_in() as portal:
        actions = [e["action"] for e in portal.audit_log.under(BALLOT)]
        assert actions[:2] == ["paper.review", "paper.enter"]


def test_a_scan_is_checked_by_its_content_and_size(app, as_role, portal_in):
    voting_time(portal_in)
    page = enter(as_role, unbound_unit(portal_in), scan=b"not really a pdf", name="fake.pdf")
    assert page.status_int == 400 and "PDF、PNG 或 JPEG" in page.text
    page = enter(as_role, unbound_unit(portal_in), scan=PDF + b"0" * (5 * 1024 * 1024), name="big.pdf")
    assert page.status_int == 400 and "5 MB" in page.text
    with portal_in() as portal:
        assert not getattr(portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"], "paper", None)


def test_rejecting_needs_a_reason_and_does_not_count(app, as_role, portal_in):
    voting_time(portal_in)
    enter(as_role, unbound_unit(portal_in))
    assert "请说明驳回的理由" in approve(as_role, decision="reject").text
    page = approve(as_role, decision="reject", reason="签名不清")
    assert "已驳回" in page.text and "签名不清" in page.text
    assert progress(app)["voted_owners"] == 0


def test_the_electronic_vote_prevails_over_a_paper_one(app, as_role, portal_in):
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    enter(as_role, unit_of(portal_in, "owner1"))
    page = approve(as_role)
    assert "不计入" in page.text and "以电子投票为准" in page.text
    assert progress(app)["voted_owners"] == 1


def test_an_electronic_vote_after_an_approved_paper_ballot_replaces_it(app, as_role, portal_in):
    voting_time(portal_in)
    enter(as_role, unit_of(portal_in, "owner2"))
    approve(as_role)
    assert progress(app)["voted_owners"] == 1
    client, headers = owner(app, "owner2")
    client.post_json(BALLOT + "/@vote", {"votes": dict(ALL_AGREE, m1="oppose")}, headers=headers)
    assert progress(app)["voted_owners"] == 1
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        assert ballot.paper["p1"]["state"] == "flagged"
        records = ballot.box.records()
        assert [r["channel"] for _k, r in records] == ["electronic"]
        assert records[0][1]["matters"]["m1"] == "oppose"


def test_results_show_paper_and_electronic_votes(app, as_role, portal_in, api):
    import datetime

    from portal import clock
    from portal.ballots.rules import midnight

    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    enter(as_role, unbound_unit(portal_in))
    approve(as_role)
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, street_headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {}, headers=street_headers)
    data = as_role("owner1").get(BALLOT + "/@results")
    text = data.html.select("section.card")[0].text
    assert "电子投票: 1" in text.replace("：", ": ") and "书面投票: 1" in text.replace("：", ": ")
    first = street.get(BALLOT + "/@results", headers=street_headers).json["matters"][0]
    assert first["participating_owners"] == 2 and first["agree_owners"] == 2


COMMUNITY = ("tianhe", "shipai", "mingyuan")


def ballot_of(portal):
    return portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]


def second_organizer(portal_in, login="organizer2"):
    """Another member of the owners' committee, to enter ballots a second time."""
    from portal.security import localroles
    from portal.security.accounts import Account
    from portal.security.roles import ORGANIZER

    with portal_in(commit=True) as portal:
        if portal.accounts.by_login(login) is None:
            account = portal.accounts.add(Account(login, "明苑小区业主委员会委员", f"{login}-demo"))
            localroles.grant(portal["tianhe"]["shipai"]["mingyuan"], account.uid, ORGANIZER)
    return login


def room_titles(portal_in, count, skip=0):
    """Titles of dwellings with one owner, to name as counters and supervisors."""
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        units = [u for u in register.values() if u.kind == "dwelling" and u.owners]
        return [u.title for u in units[skip:skip + count]]


def open_count(as_role, portal_in, issued="10", returned="8", second=False, status="*"):
    organizer = as_role("organizer")
    form = organizer.get(BALLOT + "/@paper-count").forms["form"]
    counters, supervisors = room_titles(portal_in, 1), room_titles(portal_in, 1, skip=1)
    form["issued"], form["returned"] = issued, returned
    form["second_entry"] = second
    form["counters"], form["supervisors"] = counters[0], supervisors[0]
    return form.submit("save", status=status)
