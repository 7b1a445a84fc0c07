"""Results building by building, for the filing package's tables (no Pyramid, integers only).

An owner group is counted in every building where it holds a counted unit, with the area of its
units there; so the buildings' owner counts can add up to more than the ballot's owners (a buyer
with flats in two buildings appears in both), while their areas add up exactly.  The verdicts are
the whole ballot's (``tally``); these tables only show where the votes came from.
"""
from portal.register.rules import counts, owner_key
from portal.voting.tally import CHOICES, QUESTION, key_text, kind_of


def frozen_key(unit):
    return key_text(owner_key(unit))


def building_areas(units, include_parking, building_of=lambda unit: unit.building, key_of=frozen_key):
    """{building: {owner key text: area there}} over the counted units."""
    out = {}
    for unit in units:
        if counts(unit, include_parking):
            owners = out.setdefault(building_of(unit) or "", {})
            key = key_of(unit)
            owners[key] = owners.get(key, 0) + unit.area
    return out


def by_building(matters, units, include_parking, votes, building_of=lambda unit: unit.building, key_of=frozen_key):
    """[(building, {"total_owners", "total_area", "voted_owners", "voted_area",
    "questions": {matter id: {choice: [owners, area]}}})] in building order."""
    from portal.register.models import natural

    rows = []
    for building, owners in sorted(building_areas(units, include_parking, building_of, key_of).items(),
                                   key=lambda item: natural(item[0])):
        voted = {key: area for key, area in owners.items() if key in votes}
        questions = {}
        for matter in matters:
            if kind_of(matter) != QUESTION:
                continue
            figures = {choice: [0, 0] for choice in CHOICES}
            for key, area in voted.items():
                choice = votes[key].get(matter["id"])
                if choice in figures:
                    figures[choice][0] += 1
                    figures[choice][1] += area
            questions[matter["id"]] = figures
        rows.append((building, {"total_owners": len(owners), "total_area": sum(owners.values()),
                                "voted_owners": len(voted), "voted_area": sum(voted.values()),
                                "questions": questions}))
    return rows
