"""What an edit of a workflow would change, shown before it is saved.

``permission_changes`` and ``state_moves`` are plain functions over two definitions;
``objects_in`` counts the objects of a kind in given states from the catalog (never walking the
tree).  ``fingerprint`` names the stored definition an edit was made against, so a save after
somebody else's edit is refused instead of undoing it.
"""
import hashlib
import json

from portal.catalog import indexing
from portal.workflow import definition as defs


def grants(definition):
    """{(state, permission, role)} a definition grants."""
    return {(state, permission, role) for state, body in definition["states"].items()
            for permission, roles in body.get("permissions", {}).items() for role in roles}


def permission_changes(old, new, renames=None):
    """{role: {"gained": [(state, permission)], "lost": [...]}} for the roles whose rights change.

    A renamed state is the same state: what it grants is compared under its new id."""
    renames = dict(renames or {})
    before = {(renames.get(s, s), p, r) for s, p, r in grants(old)}
    after = grants(new)
    found = {}
    for key, changed in (("gained", after - before), ("lost", before - after)):
        for state, permission, role in sorted(changed):
            found.setdefault(role, {"gained": [], "lost": []})[key].append((state, permission))
    return found


def state_moves(old, new, renames=None):
    """[(old state, new state, "renamed" | "removed")] for the states whose objects move."""
    renames = dict(renames or {})
    return [(state, target, "renamed" if state in renames else "removed")
            for state, target in defs.remap_targets(old, new, renames).items()]


def objects_in(portal, kind, states):
    """{state: how many objects of workflow ``kind`` are in it}, from the catalog."""
    if not states:
        return {}
    indexing.flush(portal)
    catalog = portal.catalog
    return {state: len((catalog["workflow"].eq(kind) & catalog["state"].eq(state)).execute())
            for state in states}


def fingerprint(definition):
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
