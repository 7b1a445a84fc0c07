"""The bound counters (portal.register.bound): what one bind adds, and a recount, agree with the
owner counting rules (portal.register.rules.bound) in every case."""
import random

from portal.register import rules
from portal.register.bound import BoundCounts, bound_counts, change_of
from portal.register.rules import OwnerFacts, UnitFacts


def unit(key, *hashes, kind=rules.DWELLING, unsold=False, area=100):
    return UnitFacts(key=key, kind=kind, area=area, developer_unsold=unsold,
                     owners=tuple(OwnerFacts(id_hash=h, name_hash="n" + h) for h in hashes))


def test_a_sole_owner_of_one_dwelling_adds_one_unit_and_one_owner():
    assert change_of([unit("u1", "a")], "a", set()) == BoundCounts(units=1, buyers=1)


def test_a_buyer_of_three_units_is_one_owner_of_three_units():
    units = [unit("u1", "a"), unit("u2", "a"), unit("u3", "a")]
    assert change_of(units, "a", set()) == BoundCounts(units=3, buyers=1)


def test_a_co_owner_adds_nothing_once_the_other_is_bound():
    units = [unit("u1", "a", "b")]
    assert change_of(units, "a", set()) == BoundCounts(units=1, buyers=1)
    assert change_of(units, "b", {"a"}) == BoundCounts()
    assert change_of(units, "b", {"a", "b"}) == BoundCounts()      # its own hash is never "another"


def test_only_the_units_the_identity_is_on_count():
    assert change_of([unit("u1", "a"), unit("u2", "b")], "a", set()) == BoundCounts(units=1, buyers=1)


def test_parking_counts_only_when_the_rules_of_procedure_say_so():
    units = [unit("p1", "a", kind=rules.PARKING), unit("s1", "a", kind=rules.STALL)]
    assert change_of(units, "a", set()) == BoundCounts()
    assert change_of(units, "a", set(), include_parking=True) == BoundCounts(units=2, buyers=1)


def test_the_developer_is_one_owner_however_many_unsold_units_are_bound():
    units = [unit("d1", "dev", unsold=True), unit("d2", "dev", unsold=True)]
    change = change_of(units, "dev", set())
    assert change == BoundCounts(units=2, buyers=0, developer_units=2)
    assert change.owners() == 1
    assert BoundCounts(units=5, buyers=3, developer_units=0).owners() == 3


def test_a_recount_of_nothing_bound_is_zero():
    assert bound_counts([unit("u1", "a"), unit("u2")], set()) == BoundCounts()


def apply_random_bindings(units, hashes, rng, include_parking, steps):
    """Bind and unbind at random, moving the counters by ``change_of``; after every step they
    must equal a recount and the rules' own figures."""
    bound, counters = set(), BoundCounts()
    for _ in range(steps):
        h = rng.choice(hashes)
        own = [u for u in units if any(o.id_hash == h for o in u.owners)]
        change = change_of(own, h, bound - {h}, include_parking)
        if h in bound:
            bound.discard(h)
            counters = BoundCounts(*(c - d for c, d in zip(counters, change)))
        else:
            bound.add(h)
            counters = BoundCounts(*(c + d for c, d in zip(counters, change)))
        assert counters == bound_counts(units, bound, include_parking)
        figures = rules.bound(units, bound, include_parking)
        assert (counters.units, counters.owners()) == (figures.units, figures.owners)
    return counters


def test_random_binds_and_unbinds_always_equal_a_recount():
    rng = random.Random(7)
    hashes = [f"h{n}" for n in range(30)]
    for include_parking in (False, True):
        units = []
        for n in range(80):
            people = rng.sample(hashes, rng.choice((0, 1, 1, 1, 2, 3)))
            if n % 9 == 0 and people:       # some buyers hold several units with the same people
                units.append(unit(f"x{n}", *people))
            units.append(unit(f"u{n}", *people, kind=rng.choice(rules.KINDS), unsold=n % 13 == 0))
        final = apply_random_bindings(units, hashes, rng, include_parking, steps=300)
        assert final.units > 0
