"""How many units and owners are bound, as counters a bind changes by a few (no Pyramid here).

The figures are those of ``register.rules.bound``: the counted units with at least one person bound
to an account, and the owners those units belong to.  An owner is a buyer (the set of people on a
title) or the developer, whose unsold units together are one owner.  So a register keeps three
counters: bound units, bound buyers, and bound developer units (the developer is one bound owner
while that count is above zero).  Each only ever moves by a sum, so concurrent binds merge.

A buyer's units all carry the same people, so whether a buyer is bound is decided by that buyer's
people alone: binding or unbinding one identity changes only the figures of its own units.
"""
from typing import NamedTuple

from portal.register.rules import counts, owner_key


class BoundCounts(NamedTuple):
    units: int = 0
    buyers: int = 0
    developer_units: int = 0

    def owners(self):
        """Bound owners as ``rules.bound`` counts them: buyers, and the developer once."""
        return self.buyers + (1 if self.developer_units > 0 else 0)


def _covered(unit, bound_hashes):
    return any(o.id_hash in bound_hashes for o in unit.owners if o.id_hash)


def bound_counts(units, bound_hashes, include_parking=False):
    """The three counters recounted from scratch over ``units`` (UnitFacts)."""
    covered = [u for u in units if counts(u, include_parking) and _covered(u, bound_hashes)]
    developer = [u for u in covered if u.developer_unsold]
    buyers = {owner_key(u) for u in covered if not u.developer_unsold}
    return BoundCounts(units=len(covered), buyers=len(buyers), developer_units=len(developer))


def change_of(units, id_hash, others_bound, include_parking=False):
    """What binding ``id_hash`` adds to the counters (unbinding it takes the same away).

    ``units`` are the identity's own units (UnitFacts); ``others_bound`` the other identities bound
    in this register (only those on these units matter).  A unit that one of them already covers
    changes nothing, and neither does its buyer, since all the buyer's units carry the same people.
    """
    others = set(others_bound) - {id_hash}
    newly = [u for u in units if counts(u, include_parking)
             and any(o.id_hash == id_hash for o in u.owners) and not _covered(u, others)]
    developer = [u for u in newly if u.developer_unsold]
    buyers = {owner_key(u) for u in newly if not u.developer_unsold}
    return BoundCounts(units=len(newly), buyers=len(buyers), developer_units=len(developer))
