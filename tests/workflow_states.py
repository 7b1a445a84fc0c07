"""Ballots and filed documents brought into a given workflow state along the definition's own
transitions (so publishing the notice freezes the electorate and opens the box, as in real life)."""
import datetime
import functools
from collections import deque

from portal.ballots import lifecycle, services
from portal.ballots.rules import local_date
from portal.documents import service as documents
from portal.workflow import engine, registry


@functools.lru_cache(maxsize=None)
def definition(kind):
    """The default workflow of ``kind`` (workflows/<kind>.yaml), parsed once; read it, never change it."""
    return registry.parse(registry.default_text(kind))


def holds(login, role_of, roles):
    """Does the demo ``login`` (its role at the community: ``role_of[login]``) hold one of ``roles``?"""
    roles = set(roles)
    return "anyone" in roles or (login != "anon" and "authenticated" in roles) or role_of[login] in roles


@functools.lru_cache(maxsize=None)
def paths_to_states(kind):
    """state -> the shortest list of transitions from the initial state (breadth first)."""
    wf = definition(kind)
    paths, queue = {wf["initial"]: ()}, deque([wf["initial"]])
    while queue:
        state = queue.popleft()
        for transition_id, transition in wf["transitions"].items():
            if state in transition["from"] and transition["to"] not in paths:
                paths[transition["to"]] = paths[state] + (transition_id,)
                queue.append(transition["to"])
    return paths


def ballot_in(container, state, now, title="状态矩阵"):
    """A fresh ballot (voting 40 to 45 days from ``now``) moved into ``state``; its id."""
    today = local_date(now)
    ballot = services.create(container, {
        "title": f"{title} {state}", "start_date": today + datetime.timedelta(days=40),
        "end_date": today + datetime.timedelta(days=45),
        "matters": [{"title": "m", "text": "t", "category": 1}]}, "", now)
    when = now
    for transition_id in paths_to_states("ballot")[state]:
        if transition_id == "disclose_final":       # once the objection period is over
            when = now + datetime.timedelta(days=60)
        lifecycle.fire(ballot, transition_id, "", when, "理由")
    assert ballot.state == state
    return ballot.__name__


def document_in(container, state, now):
    """A fresh filed document moved into ``state``; its id."""
    before = set(container)
    documents.create(container, {"doc_type": "rules_of_procedure", "title": f"议事规则 {state}",
                                 "filing_number": state, "filing_date": datetime.date(2026, 1, 1)},
                     "r.pdf", b"%PDF-1.4 x", "", now)
    (name,) = set(container) - before
    document = container[name]
    for transition_id in paths_to_states("document")[state]:
        engine.fire(document.definition(), document, transition_id, "", now, "理由", lifecycle.GUARDS)
    assert document.state == state
    return name
