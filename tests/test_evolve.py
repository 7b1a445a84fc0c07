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


def test_an_older_database_is_brought_up_to_date(db):
    """A database as the first release left it (no binding structures, workflows, ballots,
    documents or search index, and only the first step recorded) is upgraded step by step."""
    later = ["0002-register-binding-structures", "0003-binding-stores", "0004-workflows-and-ballots",
             "0005-documents", "0006-search-index"]
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        for name in later:
            del portal.evolved[name]
        for attribute in ("phone_codes", "face_requests", "workflows", "clock_offset", "search_index"):
            delattr(portal, attribute)
        for district in portal.values():
            for street in district.values():
                for community in street.values():
                    community.remove("ballots")
                    community.remove("documents")
                    register = community["register"]
                    for attribute in ("identity_index", "bindings", "codes"):
                        delattr(register, attribute)
    assert evolve.run_pending(db) == later
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal["tianhe"]["shipai"]["mingyuan"]
        assert "ballots" in community and "documents" in community
        assert len(community["register"].identity_index) > 0
        assert portal.workflows["ballot"]["initial"] == "draft"
        assert hasattr(portal, "search_index") and hasattr(portal, "face_requests")
