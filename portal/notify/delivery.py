"""Proof of delivery (送达) for one ballot, per owner group: figures and the rooms not reached
(no Pyramid here).  Read from the store's log, never from the channels' own words."""
from pyramid.traversal import resource_path

from portal.notify import recipients, rules
from portal.register.models import natural
from portal.register.rules import counts, format_area
from portal.notify.models import store_of


def group_areas(electorate):
    area = {}
    units = {u.key: u for u in electorate.units}
    for group, keys in recipients.groups(electorate).items():
        area[group] = sum(units[k].area for k in keys if counts(units[k], electorate.include_parking))
    return area


def records(store, path):
    """[(group, message id, attempt, (event, channel, when, outcome, code))] of one ballot."""
    return [(key[1], key[2], key[3], value) for key, value in store.log.items(min=(path,), max=(path, "\uffff"))]


def reached_groups(store, path):
    """{group: (sent?, accepted?)} from the ballot's log."""
    found = {}
    for group, _msg, _attempt, (_event, channel, _when, outcome, _code) in records(store, path):
        sent, accepted = found.get(group, (False, False))
        found[group] = (sent or bool(channel), accepted or outcome == rules.ACCEPTED)
    return found


def figures(portal, ballot):
    """Sent / accepted / opened, by owner groups and by area, with the totals; per event and
    channel what the channels answered."""
    store = store_of(portal)
    path = resource_path(ballot)
    areas = group_areas(ballot.electorate)
    reached = reached_groups(store, path)
    opened = {g for g in areas if store.opened.get((path, g))}
    sets = {"sent": {g for g, (s, _a) in reached.items() if s},
            "accepted": {g for g, (_s, a) in reached.items() if a}, "opened": opened}
    result = {"total": {"owners": len(areas), "area": format_area(sum(areas.values()))}}
    for name, groups in sets.items():
        groups &= set(areas)
        result[name] = {"owners": len(groups), "area": format_area(sum(areas[g] for g in groups))}
    answers = {}
    for _group, _msg, _attempt, (event, channel, _when, outcome, code) in records(store, path):
        key = f"{event}/{channel or '-'}/{outcome}" + (f"/{code}" if code else "")
        answers[key] = answers.get(key, 0) + 1
    result["answers"] = dict(sorted(answers.items()))
    return result


def unreached_rooms(portal, ballot):
    """Room titles of the groups no message has reached (accepted by a channel): room numbers only."""
    store = store_of(portal)
    path = resource_path(ballot)
    reached = {g for g, (_s, accepted) in reached_groups(store, path).items() if accepted}
    register = ballot.community["register"]
    titles = []
    for group, keys in recipients.groups(ballot.electorate).items():
        if group not in reached:
            titles.extend(register.get(k).title for k in keys if register.get(k) is not None)
    return sorted(titles, key=natural)


def history(portal, ballot, group):
    """What was sent to one owner group, when, by which channel, and what the channel answered."""
    store = store_of(portal)
    path = resource_path(ballot)
    return [{"event": v[0], "channel": v[1], "when": v[2].isoformat() if v[2] else None, "outcome": v[3],
             "code": v[4]} for g, _m, _a, v in records(store, path) if g == group]
