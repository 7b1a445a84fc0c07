"""Where in the editor each problem of an edit belongs, so it is shown at its field.

``located(problems, rows)`` turns ``definition.problems`` codes into (path, message) pairs, the
path naming the editor's field (``("states", 2, "id")``, ``("transitions", 0, "to")``,
``("initial",)``); ``()`` is the top of the form.  ``phase_problems`` finds the objects an edit
would send to another phase, from the catalog.
"""
from portal.catalog import indexing
from portal.workflow import definition as defs
from portal.workflow.forms import describe

OBJECTS_NAMED = 10

STATE_FIELD = {"bad_phase": "phase", "unreachable": "id", "no_way_out": "id", "duplicate_state": "id",
               "moves_phase": "phase"}
TRANSITION_FIELD = {"no_source": "sources", "no_trigger": "permission", "unknown_guard": "guards",
                    "unknown_timer": "timer", "duplicate_transition": "id"}


def _index(rows, key, value, last=False):
    found = [i for i, row in enumerate(rows) if row.get(key) == value]
    return (found[-1] if last else found[0]) if found else None


def path_of(problem, rows):
    """The editor's field for one (code, detail[, state]) problem, or () when it has none."""
    code, detail = problem[0], problem[1]
    if rows is None:
        return ()
    if code == "bad_initial":
        return ("initial",)
    if code == "missing_phase":
        return ("states",)
    if code in STATE_FIELD:
        state = problem[2] if len(problem) > 2 else detail
        key = "original_id" if code == "moves_phase" else "id"
        i = _index(rows["states"], key, state, last=code == "duplicate_state")
        return ("states", i, STATE_FIELD[code]) if i is not None else ()
    if code in TRANSITION_FIELD or code == "unknown_state":
        transition, _sep, state = detail.partition(": ")
        j = _index(rows["transitions"], "id", transition, last=code == "duplicate_transition")
        if j is None:
            return ()
        if code == "unknown_state":
            return ("transitions", j, "to" if rows["transitions"][j]["to"] == state else "sources")
        return ("transitions", j, TRANSITION_FIELD[code])
    return ()


def located(problems, rows, word=None):
    """(path, message) of each problem; ``word(code, detail)`` may put a detail in words (a
    phase's title instead of its id)."""
    word = word or (lambda code, detail: detail)
    return [(path_of(problem, rows), describe([(problem[0], word(problem[0], problem[1]))])[0])
            for problem in problems]


def phase_problems(portal, kind, old, new, renames):
    """("moves_phase", what moves, state) for each state whose objects would change phase."""
    moves = defs.remap_targets(old, new, renames)
    indexing.flush(portal)
    catalog = portal.catalog
    found = []
    for state in old["states"]:
        ids = list((catalog["workflow"].eq(kind) & catalog["state"].eq(state)).execute().all(resolve=False))
        if not ids:
            continue
        shifted = defs.phase_moves(old, new, moves, {state})
        if not shifted:
            continue
        before, after = shifted[state]
        for docid in ids[:OBJECTS_NAMED]:
            path = catalog.documents.path_of[docid]
            obj = indexing.resolve(portal, path)
            title = getattr(obj, "title", "") if obj is not None else ""
            found.append(("moves_phase", f"{title} ({path}) ({before} → {after or '-'})", state))
    return found
