"""Casting votes on the demo ballot: receipts, retries, refusals, progress and results."""
import datetime
import threading

import pytest

from portal import clock
from portal.ballots.rules import midnight
from portal.binding import service as binding
from portal.security.accounts import OWNER, Account
from tests.conftest import browser, token_for

BALLOT = "/tianhe/shipai/mingyuan/ballots/b2"
ALL_AGREE = {"m1": "agree", "m2": "agree", "m3": "abstain"}


def voting_time(portal_in, days_in=1):
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        start = ballot.start_date
    clock.set_now(midnight(start) + datetime.timedelta(days=days_in, hours=9))


def owner(app, login):
    client = browser(app)
    return client, {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, login)}


def test_an_owner_votes_once_for_all_their_units(app, portal_in):
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    res = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    receipt = res.json["receipt"]
    assert res.json["owners"] == 1 and len(receipt) == 14
    progress = client.get(BALLOT + "/@progress", headers=headers).json
    with portal_in() as portal:
        register = portal["tianhe"]["shipai"]["mingyuan"]["register"]
        uid = portal.accounts.by_login("owner1").uid
        units = [u for h in binding.bound_identities(register, uid) for u in register.units_of(h)]
        area = sum(u.area for u in units)
    assert len(units) == 3
    assert progress["voted_owners"] == 1
    assert progress["voted_area"] == "%d.%02d" % divmod(area, 100)
    again = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers, status=409)
    assert again.json["error"] == "already_voted"
    checked = client.get(BALLOT + "/@receipt", {"code": receipt}, headers=headers).json
    assert checked["matters"] == ALL_AGREE and checked["current"] is True
    other, other_headers = owner(app, "owner2")
    other.get(BALLOT + "/@receipt", {"code": receipt}, headers=other_headers, status=404)


def test_a_retry_with_the_same_idempotency_key_returns_the_same_receipt(app, portal_in):
    voting_time(portal_in)
    client, headers = owner(app, "owner2")
    first = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE},
                             headers=dict(headers, **{"Idempotency-Key": "phone-123"})).json
    second = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE},
                              headers=dict(headers, **{"Idempotency-Key": "phone-123"})).json
    assert first == second
    assert client.get(BALLOT + "/@progress", headers=headers).json["voted_owners"] == 1


@pytest.mark.parametrize("votes, status, code", [
    ({"m1": "agree", "m2": "agree"}, 400, "invalid"),
    ({"m1": "agree", "m2": "agree", "m3": "maybe"}, 400, "invalid"),
    (dict(ALL_AGREE, m9="agree"), 400, "invalid"),
])
def test_bad_votes_are_refused_and_nothing_is_recorded(app, portal_in, votes, status, code):
    voting_time(portal_in)
    client, headers = owner(app, "owner3")
    res = client.post_json(BALLOT + "/@vote", {"votes": votes}, headers=headers, status=status)
    assert res.json["error"] == code
    assert client.get(BALLOT + "/@progress", headers=headers).json["voted_owners"] == 0


def test_a_bad_mark_is_named_in_the_callers_language(app, portal_in):
    voting_time(portal_in)
    client, headers = owner(app, "owner3")
    bad = {"votes": {"m1": "maybe", "m2": "agree"}}
    chinese = client.post_json(BALLOT + "/@vote", bad, headers=headers, status=400).json["errors"]
    english = client.post_json(BALLOT + "/@vote?_LOCALE_=en", bad, headers=headers, status=400).json["errors"]
    assert chinese == {"m1": '"maybe" 不是这些值 agree, oppose, abstain 中的一个', "m3": "请选择同意、反对或弃权。"}
    assert english == {"m1": '"maybe" is not one of agree, oppose, abstain', "m3": "Choose agree, oppose or abstain."}


def test_no_voting_outside_the_window_or_without_the_owner_role(app, portal_in, api):
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers, status=403)   # notice phase
    voting_time(portal_in)
    staff, staff_headers = api("street")
    staff.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=staff_headers, status=403)
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)))
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers, status=403)   # closed


def test_results_after_the_close_for_owners_then_everyone(app, portal_in, api, anon):
    voting_time(portal_in)
    for login in ("owner1", "owner2", "owner3"):
        client, headers = owner(app, login)
        client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    anon.get(BALLOT + "/@results", headers={"Accept": "application/json"}, status=401)
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, street_headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {}, headers=street_headers)
    client, headers = owner(app, "owner1")
    results = client.get(BALLOT + "/@results", headers=headers).json["matters"]
    assert [r["id"] for r in results] == ["m1", "m2", "m3"]
    first = results[0]
    assert first["participating_owners"] == 3 and first["agree_owners"] == 3
    assert first["quorum_met"] is False and first["passed"] is False     # 3 of 187 owners took part
    assert results[2]["abstain_owners"] == 3
    anon.get(BALLOT + "/@results", headers={"Accept": "application/json"}, status=401)


def test_concurrent_votes_are_each_stored_exactly_once(app, db, portal_in):
    voting_time(portal_in)
    voters = []
    with db.transaction() as conn:
        portal = conn.root()["portal"]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        register = community["register"]
        sole = [h for h in register.identity_index.keys() if h not in register.bindings
                and all(len(u.owners) == 1 and u.kind == "dwelling" for u in register.units_of(h))]
        free = sole[:40]          # co-owners share one vote: the second would rightly get 409
        for n, id_hash in enumerate(free):
            account = portal.accounts.add(Account(f"voter{n}", "v", f"voter{n}-pass", kind=OWNER))
            binding.bind(community, account, id_hash, "code", clock.now())
            voters.append(f"voter{n}")
    tokens = {login: token_for(browser(app), login, f"{login}-pass") for login in voters}
    acknowledged, lock = [], threading.Lock()

    def work(batch):
        client = browser(app)
        for login in batch:
            headers = {"Accept": "application/json", "Authorization": "Bearer " + tokens[login]}
            res = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers, status="*")
            with lock:
                acknowledged.append((login, res.status_int))

    threads = [threading.Thread(target=work, args=(voters[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for _l, s in acknowledged) == [200] * len(voters), sorted(acknowledged)
    with db.transaction() as conn:
        box = conn.root()["portal"]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        assert len(box.records()) == len(voters) == box.voted_owners()
        assert box.voted_area() == sum(box.areas[k] for k, _r in box.records())


def test_when_the_ballot_allows_it_the_last_vote_counts_and_earlier_ones_are_kept(app, portal_in):
    with portal_in(commit=True) as portal:
        portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].allow_vote_change = True
    voting_time(portal_in)
    client, headers = owner(app, "owner1")
    first = client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers).json["receipt"]
    changed = dict(ALL_AGREE, m1="oppose")
    second = client.post_json(BALLOT + "/@vote", {"votes": changed}, headers=headers).json["receipt"]
    assert client.get(BALLOT + "/@progress", headers=headers).json["voted_owners"] == 1
    old = client.get(BALLOT + "/@receipt", {"code": first}, headers=headers).json
    new = client.get(BALLOT + "/@receipt", {"code": second}, headers=headers).json
    assert (old["current"], old["matters"]["m1"]) == (False, "agree")
    assert (new["current"], new["matters"]["m1"]) == (True, "oppose")
