"""The room numbers themselves: never names, ID numbers, phones or choices (no Pyramid)."""
from portal.register.models import natural
from portal.register.rules import counts
from portal.releases.rules import UNBOUND


def counted_keys(electorate):
    """The units of a frozen electorate that count (parking and stalls only when the community's
    rules count them): the only ones a room-number list is about."""
    return {unit.key for unit in electorate.units if counts(unit, electorate.include_parking)}


def rooms(ballot, kind):
    """Sorted room titles of the ballot's electorate for the list ``kind`` (units that count)."""
    register = ballot.community["register"]
    in_scope = counted_keys(ballot.electorate)
    titles = []
    if kind == UNBOUND:
        bound = set(register.bindings.keys())
        for unit in register.values():
            if unit.__name__ in in_scope and not any(o.id_hash in bound for o in unit.owners):
                titles.append(unit.title)
    else:
        from portal.voting.service import box_of

        box = box_of(ballot)
        for unit in register.values():
            key = box.owner_of_unit.get(unit.__name__)
            if unit.__name__ in in_scope and key is not None and not box.has_voted(key):
                titles.append(unit.title)
    return sorted(titles, key=natural)
