"""Counting owners and area (SPC interpretation on building differentiated ownership, arts. 8-9),
and the register's gaps (查漏补缺), as plain functions over plain facts.

- A unit counts if it is a dwelling, or a parking space / stall when the community's rules of
  procedure count those (default: they do not).
- Each unit counts as one owner; all units of one buyer count as one owner and their areas add.
  A buyer is the set of people on a unit's title: a co-owned unit is one owner, and two units held
  by exactly the same people are one owner.
- All of the developer's unsold or undelivered units together count as one owner.
- A unit with nobody registered still counts as one owner (it is a gap to fill).
Areas are integers in 0.01 m²: no floats anywhere.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

DWELLING = "dwelling"
PARKING = "parking"
STALL = "stall"
KINDS = (DWELLING, PARKING, STALL)
AREA_SOURCES = ("registered", "surveyed", "contract")
DEVELOPER = ("developer",)


@dataclass(frozen=True)
class OwnerFacts:
    id_hash: str = ""
    name_hash: str = ""
    id_valid: bool = True


@dataclass(frozen=True)
class UnitFacts:
    key: str
    kind: str = DWELLING
    area: int = 0
    developer_unsold: bool = False
    owners: tuple = field(default_factory=tuple)
    building: str = ""          # frozen with the electorate, for results by building


class Totals(NamedTuple):
    units: int
    owners: int
    area: int


def counts(unit, include_parking=False):
    return unit.kind == DWELLING or (include_parking and unit.kind in (PARKING, STALL))


def owner_key(unit):
    """Which owner a unit's vote and area belong to (see the module docstring)."""
    if unit.developer_unsold:
        return DEVELOPER
    hashes = frozenset(o.id_hash for o in unit.owners if o.id_hash)
    if hashes:
        return ("buyer", hashes)
    return ("unit", unit.key)


def owner_groups(units, include_parking=False):
    """{owner key: [unit keys]} over the units that count."""
    groups = defaultdict(list)
    for unit in units:
        if counts(unit, include_parking):
            groups[owner_key(unit)].append(unit.key)
    return dict(groups)


def totals(units, include_parking=False):
    counted = [u for u in units if counts(u, include_parking)]
    owners = {owner_key(u) for u in counted}
    return Totals(units=len(counted), owners=len(owners), area=sum(u.area for u in counted))


def gaps(units):
    """What is missing or suspicious: {gap name: sorted unit keys}."""
    found = {"no_owner": [], "no_area": [], "bad_id": [], "duplicate_owner": [], "id_conflict": []}
    names_by_id = defaultdict(set)
    units_by_id = defaultdict(set)
    for unit in units:
        if not unit.owners and not unit.developer_unsold:
            found["no_owner"].append(unit.key)
        if unit.area <= 0:
            found["no_area"].append(unit.key)
        if any(not o.id_valid or not o.id_hash for o in unit.owners):
            found["bad_id"].append(unit.key)
        hashes = [o.id_hash for o in unit.owners if o.id_hash]
        if len(hashes) != len(set(hashes)):
            found["duplicate_owner"].append(unit.key)
        for owner in unit.owners:
            if owner.id_hash:
                names_by_id[owner.id_hash].add(owner.name_hash)
                units_by_id[owner.id_hash].add(unit.key)
    for id_hash, names in names_by_id.items():
        if len(names) > 1:
            found["id_conflict"].extend(units_by_id[id_hash])
    return {name: sorted(set(keys)) for name, keys in found.items()}


def without_area(units, include_parking=False):
    """Keys of the units that count but have no area yet: with them a ballot's area totals (and
    every area majority) would be wrong, so its notice cannot be published (in the given order)."""
    return [u.key for u in units if counts(u, include_parking) and u.area <= 0]


def format_area(hundredths):
    """0.01 m² integer -> "88.50"."""
    sign = "-" if hundredths < 0 else ""
    hundredths = abs(hundredths)
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"


def parse_area(text):
    """"88.5" -> 8850; None if not a positive number with at most two decimals."""
    text = (text or "").strip()
    whole, dot, frac = text.partition(".")
    if not whole.isdigit() or (dot and not (frac.isdigit() and 1 <= len(frac) <= 2)):
        return None
    value = int(whole) * 100 + int((frac + "00")[:2] if frac else 0)
    return value if value > 0 else None


def bound(units, bound_hashes, include_parking=False):
    """Units and owners (as counted above) with at least one person bound to an account."""
    counted = [u for u in units if counts(u, include_parking)]
    bound_units = [u for u in counted if any(o.id_hash in bound_hashes for o in u.owners)]
    return Totals(units=len(bound_units), owners=len({owner_key(u) for u in bound_units}),
                  area=sum(u.area for u in bound_units))
