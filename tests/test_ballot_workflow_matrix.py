"""Every transition of the default ballot workflow x every role: who may fire it.

Each case puts a fresh ballot in the transition's first source state and asks, through the JSON
API, to fire it.  Refused for lack of permission: 403; fired: 200; a guard (reason, notice
period) may still say no with 409 to someone who is allowed, which counts as allowed.
"""
import datetime

import pytest

from portal import clock, main
from portal.ballots import services
from portal.ballots.rules import local_date
from portal.security.accounts import Account
from portal.workflow import registry
from tests.conftest import browser, build_demo, make_settings, token_for

ROLES = ("anon", "nobody", "owner1", "organizer", "street", "district", "admin")
ALLOWED = {  # transition -> demo logins allowed (from workflows/ballot.yaml)
    "submit": {"organizer"}, "return": {"street"}, "approve": {"street"}, "publish_notice": {"street"},
    "publish_preliminary": {"street"}, "disclose_final": {"street"}, "republish_preliminary": {"street"},
    "withdraw": {"organizer"}, "cancel": {"street"},
    "open_voting": set(), "close_voting": set(),            # the clock's only
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = main({}, **make_settings(tmp_path_factory.mktemp("ballot-matrix")))
    build_demo(app)
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        conn.root()["portal"].accounts.add(Account("nobody", "No roles", "nobody-demo"))
    clients = {}
    for role in ROLES:
        client = browser(app)
        headers = {"Accept": "application/json"}
        if role != "anon":
            headers["Authorization"] = "Bearer " + token_for(client, role)
        clients[role] = (client, headers)
    yield app, db, clients
    db.close()


def ballot_in(db, state):
    definition = registry.parse(registry.default_text("ballot"))
    with db.transaction() as conn:
        container = conn.root()["portal"]["tianhe"]["shipai"]["mingyuan"]["ballots"]
        today = local_date(clock.now())
        ballot = services.create(container, {
            "title": "matrix", "start_date": today + datetime.timedelta(days=40),
            "end_date": today + datetime.timedelta(days=45),
            "matters": [{"title": "m", "text": "t", "category": 1}]}, "", clock.now())
        ballot.state = state
        assert state in definition["states"]
        return ballot.__name__


def test_the_table_covers_every_transition():
    definition = registry.parse(registry.default_text("ballot"))
    assert set(ALLOWED) == set(definition["transitions"])


def cases():
    definition = registry.parse(registry.default_text("ballot"))
    for transition_id, transition in definition["transitions"].items():
        for role in ROLES:
            yield pytest.param(transition_id, transition["from"][0], role, role in ALLOWED[transition_id],
                               id=f"{transition_id}-{role}")


@pytest.mark.parametrize("transition, source, role, allowed", list(cases()))
def test_who_may_fire(world, transition, source, role, allowed):
    _app, db, clients = world
    ballot_id = ballot_in(db, source)
    client, headers = clients[role]
    res = client.post_json(f"/tianhe/shipai/mingyuan/ballots/{ballot_id}/@workflow/{transition}",
                           {"comment": "理由"}, headers=headers, status="*")
    assert res.status_int < 500
    refused = res.status_int in (401, 403)
    assert refused is (not allowed), (role, transition, res.status_int, res.text[:200])
