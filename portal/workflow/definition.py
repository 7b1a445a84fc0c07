"""Workflow definitions as plain data, and their validation (no Pyramid here).

A definition is a dict, as in ``workflows/*.yaml``: ``id``, ``title`` ({zh, en}), ``initial``,
``states`` (id -> phase, title, permissions: permission -> roles) and ``transitions`` (id ->
from, to, permission, guards, timer, title).  ``problems`` lists what is wrong with one, in
words an administrator understands; an empty list means it may be saved.
"""
from collections import deque

PHASES = ("draft", "review", "notice", "voting", "counting", "disclosed", "ended")
END_PHASES = ("disclosed", "ended")
REQUIRED_PHASES = {"ballot": set(PHASES), "document": {"draft", "disclosed", "ended"}}
ROLES = ("anyone", "authenticated", "owner", "organizer", "street", "district", "admin")
GUARDS = ("notice_period", "window_limit", "comment_required", "objection_period_over", "candidates_confirmed",
          "objections_decided", "objection_upheld", "areas_complete")
TIMERS = ("voting_start", "voting_end", "objection_end")
PERMISSIONS = {
    "ballot": ("view", "edit", "submit", "review", "publish", "withdraw", "cancel", "vote", "view_progress",
               "view_results", "request_extension", "approve_extension", "view_rooms", "view_released_rooms",
               "enter_paper", "review_paper", "check_candidates", "object", "view_objections",
               "answer_objection", "decide_objection", "view_filing", "view_delivery", "view_unreached", "view_record"),
    "document": ("view", "edit", "publish", "withdraw"),
}


def outgoing(definition, state):
    return [t for t in definition["transitions"].values() if state in t["from"]]


def reachable(definition, start):
    seen, queue = {start}, deque([start])
    while queue:
        for transition in outgoing(definition, queue.popleft()):
            if transition["to"] not in seen:
                seen.add(transition["to"])
                queue.append(transition["to"])
    return seen


def problems(definition):
    """Every reason ``definition`` cannot be used, as (code, detail) pairs."""
    found = []
    states, transitions = definition.get("states", {}), definition.get("transitions", {})
    kind = definition.get("id")
    if not states:
        return [("no_states", "")]
    if definition.get("initial") not in states:
        found.append(("bad_initial", str(definition.get("initial"))))
    for state_id, state in states.items():
        if state.get("phase") not in PHASES:
            found.append(("bad_phase", state_id))
        for permission, roles in state.get("permissions", {}).items():
            if permission not in PERMISSIONS.get(kind, ()):
                found.append(("unknown_permission", f"{state_id}: {permission}"))
            for role in roles:
                if role not in ROLES:
                    found.append(("unknown_role", f"{state_id}: {role}"))
    for transition_id, transition in transitions.items():
        for source in transition.get("from", []):
            if source not in states:
                found.append(("unknown_state", f"{transition_id}: {source}"))
        if transition.get("to") not in states:
            found.append(("unknown_state", f"{transition_id}: {transition.get('to')}"))
        if not transition.get("from"):
            found.append(("no_source", transition_id))
        for guard in transition.get("guards", []):
            if guard not in GUARDS:
                found.append(("unknown_guard", f"{transition_id}: {guard}"))
        timer = transition.get("timer")
        if timer is not None and timer not in TIMERS:
            found.append(("unknown_timer", f"{transition_id}: {timer}"))
        if timer is None and not transition.get("permission"):
            found.append(("no_trigger", transition_id))
        if transition.get("permission") and transition["permission"] not in PERMISSIONS.get(kind, ()):
            found.append(("unknown_permission", f"{transition_id}: {transition['permission']}"))
    if found:
        return found
    missing = REQUIRED_PHASES.get(kind, set()) - {s["phase"] for s in states.values()}
    for phase in sorted(missing):
        found.append(("missing_phase", phase))
    for state_id in sorted(set(states) - reachable(definition, definition["initial"])):
        found.append(("unreachable", state_id))
    ends = {s for s, state in states.items() if state["phase"] in END_PHASES}
    for state_id in sorted(states):
        if not reachable(definition, state_id) & ends:
            found.append(("no_way_out", state_id))
    return found


def remap_targets(old, new, renames=None):
    """{old state: new state} for objects in states that the edit renames or removes.

    ``renames`` maps old ids to new ids; any other state missing from ``new`` goes to the new
    definition's initial state."""
    renames = dict(renames or {})
    moves = {}
    for state_id in old["states"]:
        if state_id in renames and renames[state_id] != state_id:
            moves[state_id] = renames[state_id]
        elif state_id not in new["states"]:
            moves[state_id] = new["initial"]
    return moves


def phase_of(definition, state):
    return definition["states"][state]["phase"]


def phase_moves(old, new, moves, states_in_use):
    """{state: (phase before, phase after)} for each state in use whose objects would land in
    another phase under ``new`` (moved by ``moves``, or kept while the state's phase changed).
    Such an edit would silently send live objects (a voting ballot, a published document)
    elsewhere in their life: it is refused."""
    changed = {}
    for state in states_in_use:
        before = old["states"].get(state, {}).get("phase")
        target = moves.get(state, state)
        after = new["states"].get(target, {}).get("phase")
        if before != after:
            changed[state] = (before, after)
    return changed


def changes(old, new):
    """What an edit changes, for the audit log: states and transitions added, removed or
    altered, each altered one with its value before and after."""
    found = {}
    for part in ("states", "transitions"):
        before, after = old.get(part, {}), new.get(part, {})
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        altered = {key: {"before": before[key], "after": after[key]}
                   for key in sorted(set(before) & set(after)) if before[key] != after[key]}
        if added:
            found[f"{part}_added"] = {key: after[key] for key in added}
        if removed:
            found[f"{part}_removed"] = {key: before[key] for key in removed}
        if altered:
            found[f"{part}_changed"] = altered
    for key in ("initial", "title"):
        if old.get(key) != new.get(key):
            found[key] = {"before": old.get(key), "after": new.get(key)}
    return found


def permission_roles(definition, state):
    """permission -> roles in ``state`` (an unknown state grants nothing)."""
    return definition["states"].get(state, {}).get("permissions", {})
