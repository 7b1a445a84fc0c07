"""The room numbers themselves: never names, ID numbers, phones or choices (no Pyramid)."""
from portal.register.models import natural
from portal.releases.rules import UNBOUND


def rooms(ballot, kind):
    """Sorted room titles of the ballot's electorate for the list ``kind``."""
    register = ballot.community["register"]
    in_scope = {unit.key for unit in ballot.electorate.units}
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
