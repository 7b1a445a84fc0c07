"""Named evolve steps run once each, in order, and are recorded in the database."""
import pytest

from portal import evolve
from portal.bootstrap import ROOT_KEY


def test_pending_steps_run_once_and_are_recorded(db):
    calls = []
    steps = [("0001-first", lambda p: calls.append("first")),
             ("0002-second", lambda p: setattr(p, "evolved_flag", True))]
    assert evolve.run_pending(db, steps) == ["0001-first", "0002-second"]
    assert evolve.run_pending(db, steps) == []
    assert calls == ["first"]
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        assert portal.evolved_flag is True
        assert set(portal.evolved) >= {"0001-first", "0002-second"}


def test_a_failing_step_is_not_recorded_and_stops_the_run(db):
    def broken(portal):
        portal.half_done = True
        raise RuntimeError("broken")

    steps = [("0001-broken", broken), ("0002-after", lambda p: None)]
    with pytest.raises(RuntimeError):
        evolve.run_pending(db, steps)
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        assert "0001-broken" not in portal.evolved
        assert not hasattr(portal, "half_done")


def test_a_new_portal_records_every_known_step_as_done():
    from portal.bootstrap import new_portal

    evolve.STEPS.append(("9999-test-only", lambda p: None))
    try:
        assert "9999-test-only" in new_portal().evolved
    finally:
        evolve.STEPS.pop()


def test_a_step_name_cannot_be_registered_twice():
    evolve.step("9998-once")(lambda p: None)
    try:
        with pytest.raises(ValueError):
            evolve.step("9998-once")(lambda p: None)
    finally:
        evolve.STEPS.pop()
