"""The workflows in force, kept in ZODB, loaded from ``workflows/*.yaml`` at first start.

Definitions are stored whole as plain dicts; an edit replaces the whole value, so it commits
atomically and every process sees it on its next request.  Objects read their permissions from
here at request time (``permission_roles``), so an edit takes effect at once.
"""
import copy
import importlib.resources

import yaml
from BTrees.OOBTree import OOBTree

from portal.workflow import definition as defs

KINDS = ("ballot", "document")


class InvalidDefinition(ValueError):
    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def default_text(kind):
    return (importlib.resources.files("portal.workflows") / f"{kind}.yaml").read_text(encoding="utf-8")


def parse(text):
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidDefinition([("yaml", str(exc).splitlines()[0])]) from None
    if not isinstance(data, dict):
        raise InvalidDefinition([("yaml", "not a mapping")])
    normalized = normalize(data)
    found = defs.problems(normalized)
    if found:
        raise InvalidDefinition(found)
    return normalized


def normalize(data):
    """Fill the optional keys so every consumer sees one shape."""
    data = copy.deepcopy(data)
    data.setdefault("states", {})
    data.setdefault("transitions", {})
    for state in data["states"].values():
        state.setdefault("permissions", {})
        state.setdefault("title", {})
        state["permissions"] = {p: list(r or []) for p, r in state["permissions"].items()}
    for transition in data["transitions"].values():
        transition.setdefault("guards", [])
        transition.setdefault("timer", None)
        transition.setdefault("permission", None)
        transition.setdefault("title", {})
        if isinstance(transition.get("from"), str):
            transition["from"] = [transition["from"]]
    return data


def dump(definition):
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)


def new_store():
    store = OOBTree()
    for kind in KINDS:
        store[kind] = parse(default_text(kind))
    return store


def get(portal, kind):
    return portal.workflows[kind]


def save(portal, kind, new, renames=None, objects=(), describe=str):
    """Validate and store ``new``; move ``objects`` (every object of the kind) out of renamed or
    removed states.  Return {old: new} moves made.

    An edit that would put an object into another phase than the one it is in (removing the
    state a ballot votes in, say) is refused, naming the objects (``describe(obj)``)."""
    found = defs.problems(new)
    if found:
        raise InvalidDefinition(found)
    old = portal.workflows[kind]
    moves = defs.remap_targets(old, new, renames)
    objects = list(objects)
    shifted = defs.phase_moves(old, new, moves, {obj.state for obj in objects})
    if shifted:
        raise InvalidDefinition([
            ("moves_phase", f"{describe(obj)} ({shifted[obj.state][0]} → {shifted[obj.state][1] or '-'})")
            for obj in objects if obj.state in shifted])
    for obj in objects:
        if obj.state in moves:
            obj.state = moves[obj.state]
    portal.workflows[kind] = new
    return moves


def amend(portal, kind, grants=None, guards=None, transitions=None):
    """Add to the stored ``kind`` workflow what a new release needs (evolve steps), never taking
    anything away: ``grants`` {state: {permission: roles}} adds the roles a state's permission
    lacks; ``guards`` {transition: [guard]} adds guards; ``transitions`` {id: definition} adds the
    transitions not there yet.  States the administrators removed are left alone."""
    definition = portal.workflows[kind]
    for state, permissions in (grants or {}).items():
        if state not in definition["states"]:
            continue
        held = definition["states"][state]["permissions"]
        for permission, roles in permissions.items():
            held[permission] = list(held.get(permission, [])) + [r for r in roles if r not in held.get(permission, [])]
    for transition_id, names in (guards or {}).items():
        transition = definition["transitions"].get(transition_id)
        if transition is not None:
            transition["guards"] = list(transition["guards"]) + [g for g in names if g not in transition["guards"]]
    for transition_id, transition in (transitions or {}).items():
        if all(s in definition["states"] for s in transition["from"] + [transition["to"]]):
            definition["transitions"].setdefault(transition_id, normalize({"transitions": {
                transition_id: transition}})["transitions"][transition_id])
    portal.workflows[kind] = definition
