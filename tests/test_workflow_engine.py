"""The workflow engine and definitions: validation, remapping, guards and timers."""
import copy
import datetime

import pytest

from portal.workflow import definition as defs
from portal.workflow import engine, registry

T0 = datetime.datetime(2026, 11, 1, 2, tzinfo=datetime.timezone.utc)


def ballot_definition():
    return registry.parse(registry.default_text("ballot"))


class Thing(engine.Workflowed):
    pass


def test_the_default_definitions_are_valid():
    for kind in registry.KINDS:
        assert defs.problems(registry.parse(registry.default_text(kind))) == []


@pytest.mark.parametrize("change, code", [
    (lambda d: d["transitions"].pop("approve"), "unreachable"),                 # approved, notice... cut off
    (lambda d: d["states"]["final"].update(phase="counting"), "missing_phase"),
    (lambda d: d["transitions"]["submit"].update(to="nowhere"), "unknown_state"),
    (lambda d: d.update(initial="nowhere"), "bad_initial"),
    (lambda d: d["transitions"]["cancel"]["from"].remove("voting") or d["transitions"].pop("close_voting"),
     "no_way_out"),
    (lambda d: d["states"]["draft"]["permissions"].update(edit=["janitor"]), "unknown_role"),
    (lambda d: d["transitions"]["submit"].update(guards=["moon_phase"]), "unknown_guard"),
    (lambda d: d["transitions"]["submit"].update(permission=None), "no_trigger"),
])
def test_invalid_definitions_are_refused_with_the_reason(change, code):
    definition = ballot_definition()
    change(definition)
    assert code in [c for c, _detail in defs.problems(definition)]


def test_the_yaml_parser_refuses_broken_text():
    with pytest.raises(registry.InvalidDefinition) as caught:
        registry.parse("states: [unclosed")
    assert caught.value.problems[0][0] == "yaml"


def test_remap_moves_renamed_and_removed_states():
    old = ballot_definition()
    new = copy.deepcopy(old)
    new["states"]["under_review"] = new["states"].pop("submitted")
    del new["states"]["approved"]
    assert defs.remap_targets(old, new, {"submitted": "under_review"}) == {
        "submitted": "under_review", "approved": "draft"}


def test_fire_checks_state_permission_and_guards():
    definition = ballot_definition()
    thing = Thing()
    thing.start_workflow(definition, "u1", T0)
    allow = lambda permission: permission == "submit"   # noqa: E731
    with pytest.raises(engine.TransitionRefused) as caught:
        engine.fire(definition, thing, "approve", "u1", T0, can=allow)
    assert caught.value.code == "not_now"
    with pytest.raises(engine.TransitionRefused) as caught:
        engine.fire(definition, thing, "withdraw", "u1", T0, can=allow)
    assert caught.value.code == "forbidden"
    entry = engine.fire(definition, thing, "submit", "u1", T0, "", {"notice_period": lambda obj, now, comment: None},
                        can=allow)
    assert (thing.state, entry["from"], entry["to"]) == ("submitted", "draft", "submitted")
    guards = {"comment_required": lambda obj, now, comment: None if comment else "say why"}
    with pytest.raises(engine.TransitionRefused) as caught:
        engine.fire(definition, thing, "return", "u2", T0, "", guards)
    assert caught.value.message == "say why"
    engine.fire(definition, thing, "return", "u2", T0, "please fix", guards)
    assert [h["to"] for h in thing.history] == ["draft", "submitted", "draft"]


def test_timers_fire_in_turn_when_due():
    definition = ballot_definition()
    thing = Thing()
    thing.start_workflow(definition, "u1", T0)
    thing.state = "notice"
    opens, closes = T0 + datetime.timedelta(days=16), T0 + datetime.timedelta(days=26)
    timers = {"voting_start": lambda o: opens, "voting_end": lambda o: closes, "objection_end": lambda o: None}
    assert engine.catch_up(definition, thing, opens - datetime.timedelta(seconds=1), timers, {}) == []
    assert [e["to"] for e in engine.catch_up(definition, thing, opens, timers, {})] == ["voting"]
    assert engine.catch_up(definition, thing, opens, timers, {}) == []            # idempotent
    entries = engine.catch_up(definition, thing, closes + datetime.timedelta(days=1), timers, {})
    assert [e["to"] for e in entries] == ["closed"] and entries[0]["who"] == "clock"
