"""The rules of the paper count and of proxies (portal.paper.rules), at their boundaries."""
from portal.paper import rules
from portal.paper.rules import APPROVED, COUNTER, FLAGGED, MISMATCH, PENDING, PROXY, REJECTED, SECOND, SUPERVISOR

ELECTION = {"id": "m1", "kind": "election", "category": 3, "seats": 1, "alternates": 0,
            "candidates": [{"id": "c1", "name": "张三"}, {"id": "c2", "name": "李四"}]}
QUESTION = {"id": "m2", "kind": "question", "category": 1}
MATTERS = [ELECTION, QUESTION]
GOOD = {"m1": {"c1": "agree"}, "m2": "agree"}
VOID = {"m1": {"c1": "agree", "c2": "agree"}, "m2": "oppose"}
PREVAILS = "electronic prevails"


def test_returned_may_equal_issued_but_not_exceed_it():
    assert rules.count_problem(0, 0) is None
    assert rules.count_problem(120, 120) is None
    assert "121" in rules.count_problem(120, 121).interpolate()
    assert rules.count_problem(-1, 0) is not None and rules.count_problem(5, -1) is not None


def test_counters_and_supervisors_are_distinct_owners_who_stand_for_nothing():
    people = [(COUNTER, "u1", "王五"), (SUPERVISOR, "u2", "赵六")]
    assert rules.people_problem(people, ["张三", "李四"]) is None
    assert rules.people_problem(people[:1], []) == "Name at least one supervisor."
    assert rules.people_problem(people[1:], []) == "Name at least one counter."
    assert rules.people_problem([(COUNTER, "u1", "王五"), (SUPERVISOR, "u1", "王五")], []).startswith("The same owner")
    assert rules.people_problem(people, ["李四", " 赵六 "]).startswith("A candidate")


def test_the_one_who_entered_a_ballot_cannot_check_it():
    record = {"entered_by": "a", "second_by": "b"}
    assert rules.checker_problem(record, "a") is not None
    assert rules.checker_problem(record, "b") is not None
    assert rules.checker_problem(record, "c") is None
    assert rules.checker_problem({"entered_by": "a"}, "b") is None            # no second entry yet


def test_two_entries_match_only_when_every_mark_is_the_same():
    assert rules.same_marks(GOOD, {"m2": "agree", "m1": {"c1": "agree"}})
    assert not rules.same_marks(GOOD, {"m1": {"c1": "agree"}, "m2": "oppose"})
    assert not rules.same_marks(GOOD, {"m1": {"c1": "agree", "c2": "abstain"}, "m2": "agree"})


def test_a_ballot_with_more_agrees_than_seats_is_void():
    assert rules.is_void(MATTERS, VOID)
    assert not rules.is_void(MATTERS, GOOD)


def test_a_ballot_refusing_proxies_says_so():
    assert rules.proxy_problem(True) is None
    assert "written proxies" in rules.proxy_problem(False)


def entry(state, choices=GOOD, kind="paper", reason=""):
    return {"state": state, "matters": choices, "kind": kind, "reason": reason}


def test_the_reconciliation_counts_each_entry_once():
    records = [entry(APPROVED), entry(APPROVED, VOID), entry(REJECTED), entry(FLAGGED, reason=PREVAILS),
               entry(FLAGGED, reason="replaced"), entry(PENDING), entry(SECOND), entry(MISMATCH),
               entry(APPROVED, kind=PROXY), entry(PENDING, kind=PROXY)]
    figures = rules.reconciliation(10, 9, MATTERS, records, PREVAILS)
    assert {k: figures[k] for k in ("issued", "returned", "entered", "approved", "rejected", "void", "superseded",
                                    "replaced", "pending", "mismatched", "proxies", "unreturned")} == {
        "issued": 10, "returned": 9, "entered": 8, "approved": 2, "rejected": 1, "void": 1, "superseded": 1,
        "replaced": 1, "pending": 2, "mismatched": 1, "proxies": 1, "unreturned": 1}
    words = [p.interpolate() for p in figures["problems"]]
    assert words == ["1 returned ballots are not entered yet.",
                     "1 ballots were entered twice with different marks and wait for a decision.",
                     "2 ballots wait for their check."]


def test_a_reconciliation_that_adds_up_has_no_problem_and_one_that_overflows_says_so():
    done = rules.reconciliation(2, 2, MATTERS, [entry(APPROVED), entry(REJECTED)], PREVAILS)
    assert done["problems"] == [] and done["unreturned"] == 0
    over = rules.reconciliation(2, 1, MATTERS, [entry(APPROVED), entry(REJECTED)], PREVAILS)
    assert [p.interpolate() for p in over["problems"]] == ["More paper ballots entered (2) than returned (1)."]
    none = rules.reconciliation(None, None, MATTERS, [entry(PENDING)], PREVAILS)
    assert none["unreturned"] is None and len(none["problems"]) == 1
