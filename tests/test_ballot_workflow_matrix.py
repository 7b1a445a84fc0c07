"""Every transition of the default ballot workflow x every source state x every role: who may fire it.

Each case brings a fresh ballot into one of the transition's source states along the workflow's
own transitions and asks, through the JSON API, to fire it.  Refused for lack of permission:
403 with the permission-refusal message (401 for a stranger where the ballot is not public), and
the ballot stays where it was; fired: 200 and the ballot is in the target state; a guard (reason,
notice period, objection period) may still say no with 409 and its reason to someone allowed.
"""
import datetime

import pytest

from portal import clock, main
from portal.ballots import services
from portal.ballots.rules import local_date
from portal.security.accounts import Account
from portal.workflow import registry
from tests.conftest import browser, build_demo, current, make_settings, token_for
from tests.workflow_states import ballot_in as ballot_through, definition, holds

ROLES = ("anon", "nobody", "owner1", "organizer", "street", "district", "admin")
ALLOWED = {  # transition -> demo logins allowed (from workflows/ballot.yaml)
    "submit": {"organizer"}, "return": {"street"}, "return_for_dates": {"street"}, "approve": {"street"}, "publish_notice": {"street"},
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


ROLE_OF = {"anon": None, "nobody": None, "owner1": "owner", "organizer": "organizer", "street": "street",
           "district": "district", "admin": "admin"}
PERMISSION_REFUSALS = {"您无权进行这一步。", "您无权在此进行该操作。", "请先登录。"}
COMMUNITY = ("tianhe", "shipai", "mingyuan")


def may_fire(login, transition_id, source):
    """From the definition: does ``login`` hold the transition's permission in ``source``?"""
    wf = definition("ballot")
    permission = wf["transitions"][transition_id].get("permission")
    return permission is not None and holds(login, ROLE_OF, wf["states"][source]["permissions"].get(permission, ()))


def walked_ballot(app, db, state):
    with current(app.registry), db.transaction() as conn:
        portal = conn.root()["portal"]
        return ballot_through(portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]["ballots"], state, clock.now(),
                              title="流程矩阵")


def state_of(db, ballot_id):
    with db.transaction() as conn:
        return conn.root()["portal"][COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]["ballots"][ballot_id].state


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


def test_the_table_agrees_with_the_definition_in_every_source_state():
    for transition_id, transition in definition("ballot")["transitions"].items():
        for source in transition["from"]:
            assert {r for r in ROLES if may_fire(r, transition_id, source)} == ALLOWED[transition_id], (
                transition_id, source)


def every_source():
    for transition_id, transition in definition("ballot")["transitions"].items():
        for source in transition["from"]:
            for role in ROLES:
                yield pytest.param(transition_id, source, role, role in ALLOWED[transition_id],
                                   id=f"{transition_id}-from-{source}-{role}")


@pytest.mark.parametrize("transition, source, role, allowed", list(every_source()))
def test_who_may_fire_from_every_source(world, transition, source, role, allowed):
    app, db, clients = world
    ballot_id = walked_ballot(app, db, source)
    client, headers = clients[role]
    target = definition("ballot")["transitions"][transition]["to"]
    res = client.post_json(f"/tianhe/shipai/mingyuan/ballots/{ballot_id}/@workflow/{transition}",
                           {"comment": "理由"}, headers=headers, status="*")
    assert res.status_int < 500, res.text[:300]
    message = res.json.get("message", "")
    if not allowed:
        visible = holds(role, ROLE_OF, definition("ballot")["states"][source]["permissions"].get("view", ()))
        # a stranger is asked to sign in where the ballot is not public; anyone else is refused the step
        assert res.status_int == (401 if role == "anon" and not visible else 403), res.text[:200]
        assert message in PERMISSION_REFUSALS, message
        assert state_of(db, ballot_id) == source
    elif res.status_int == 409:              # a guard's reason, in words, and nothing moved
        assert message and message not in PERMISSION_REFUSALS, message
        assert state_of(db, ballot_id) == source
    else:
        assert res.status_int == 200, (role, transition, source, res.status_int, res.text[:200])
        assert res.json["review_state"] == target == state_of(db, ballot_id)


# The first matrix, kept as it was: the first source state only, set directly on the ballot.
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
