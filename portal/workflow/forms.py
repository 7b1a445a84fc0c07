"""The administrators' workflow editor: deform forms over a definition, built per kind and per
stored definition (the states offered in every select are the states stored now).

- the editor: the workflow's titles and initial state; the states (id, phase, titles; a state is
  removed there, renamed by changing its id); one role x state grid of checkboxes per group of
  permissions; the transitions, each with selects of states, of the permission and the timer,
  and checkboxes of guards, all named in words (``titles``);
- adding a state: its id, titles and phase, the state it is reached from and the one it leads
  to (so it is reachable and has a way out), and whose permissions it starts with.

Selects name states by their id as stored; renaming a state renames it in every transition too.
"""
import colander
import deform

from portal.i18n import _
from portal.preparers import strip
from portal.workflow import definition as defs
from portal.workflow import titles

ID_PATTERN = colander.Regex(r"^[a-z][a-z0-9_]{0,39}$", _("Lower-case letters, digits and _, starting with a "
                                                         "letter (at most 40)."))
GRID_SEP = "|"


def text(name, title, required=True, validator=None, description=None):
    return colander.SchemaNode(colander.String(), name=name, title=title, preparer=strip, description=description,
                               missing=colander.required if required else "", validator=validator)


def choice(name, title, options, required=True, description=None):
    """A select of (value, title) ``options``."""
    values = [value for value, _title in options]
    return colander.SchemaNode(colander.String(), name=name, title=title, description=description,
                               missing=colander.required if required else "",
                               widget=deform.widget.SelectWidget(values=([] if required else [("", "—")]) + list(options)),
                               validator=colander.OneOf(values + ([] if required else [""])))


def checkboxes(name, title, options):
    return colander.SchemaNode(colander.Set(), name=name, title=title, missing=(),
                               widget=deform.widget.CheckboxChoiceWidget(values=list(options), inline=True,
                                                                          template="choice_boxes"),
                               validator=colander.ContainsOnly([value for value, _title in options]))


class PermissionGrid(deform.widget.CheckboxChoiceWidget):
    """A set of "state|permission|role" values drawn as one role x state table per permission,
    the tables in groups (``templates/deform/permission_grid.pt``)."""
    template = readonly_template = "permission_grid"

    def value(self, state, permission, role):
        return grid_value(state, permission, role)


def grid_value(state, permission, role):
    return GRID_SEP.join((state, permission, role))


def state_options(definition, lang):
    return [(state, f"{titles.state_title(definition, state, lang)} ({state})") for state in definition["states"]]


def schema_for(kind, definition, lang):
    """The editor's schema for ``definition`` (a workflow of ``kind``), its words in ``lang``."""
    states = state_options(definition, lang)
    phases = [(phase, titles.PHASES[phase]) for phase in defs.PHASES]
    permissions = [(p, titles.PERMISSIONS[p]) for p in defs.PERMISSIONS[kind]]
    state = colander.SchemaNode(colander.Mapping(), name="state", title=_("State"))
    state.add(colander.SchemaNode(colander.String(), name="original_id", missing="",
                                  widget=deform.widget.HiddenWidget()))
    state.add(text("id", _("Id (letters, digits, _)"), validator=ID_PATTERN))
    state.add(choice("phase", _("Phase"), phases))
    state.add(text("title_zh", _("Title in Chinese")))
    state.add(text("title_en", _("Title in English"), required=False))
    transition = colander.SchemaNode(colander.Mapping(), name="transition", title=_("Transition"))
    transition.add(text("id", _("Id (letters, digits, _)"), validator=ID_PATTERN))
    transition.add(checkboxes("sources", _("From the states"), states))
    transition.add(choice("to", _("To the state"), states))
    transition.add(choice("permission", _("Who may do it: the permission needed (empty: only the clock)"),
                          permissions, required=False))
    transition.add(checkboxes("guards", _("Only when"), [(g, titles.GUARDS[g]) for g in defs.GUARDS]))
    transition.add(choice("timer", _("Happens by itself"), [(t, titles.TIMERS[t]) for t in defs.TIMERS],
                          required=False))
    transition.add(text("title_zh", _("Title in Chinese")))
    transition.add(text("title_en", _("Title in English"), required=False))
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(text("title_zh", _("Title in Chinese")))
    schema.add(text("title_en", _("Title in English"), required=False))
    schema.add(choice("initial", _("Initial state"), states))
    grid_values = [grid_value(s, p, r) for s in definition["states"] for p in defs.PERMISSIONS[kind]
                   for r in defs.ROLES]
    grid = PermissionGrid(values=[(v, v) for v in grid_values], groups=titles.groups(kind),
                          states=[(s, titles.state_title(definition, s, lang)) for s in definition["states"]],
                          roles=[(r, titles.ROLES[r]) for r in defs.ROLES], permission_titles=titles.PERMISSIONS,
                          role_word=_("Role"))
    schema.add(colander.SchemaNode(colander.Set(), name="grid", title=_("Who may do what in each state"),
                                   missing=(), widget=grid, validator=colander.ContainsOnly(grid_values)))
    schema.add(colander.SchemaNode(
        colander.Sequence(), state, name="states", title=_("States"),
        description=_("Remove a state with its ×, rename it by changing its id; add one below the grid."),
        widget=deform.widget.SequenceWidget(max_len=len(states), min_len=1)))
    schema.add(colander.SchemaNode(colander.Sequence(), transition, name="transitions", title=_("Transitions")))
    return schema


def to_appstruct(definition, kind):
    states = [{"original_id": state_id, "id": state_id, "phase": state["phase"],
               "title_zh": state["title"].get("zh", ""), "title_en": state["title"].get("en", "")}
              for state_id, state in definition["states"].items()]
    grid = {grid_value(s, p, r) for s, state in definition["states"].items()
            for p, roles in state["permissions"].items() if p in defs.PERMISSIONS[kind] for r in roles}
    transitions = [{"id": tid, "sources": set(t["from"]), "to": t["to"], "permission": t["permission"] or "",
                    "guards": set(t["guards"]), "timer": t["timer"] or "", "title_zh": t["title"].get("zh", ""),
                    "title_en": t["title"].get("en", "")} for tid, t in definition["transitions"].items()]
    return {"title_zh": definition.get("title", {}).get("zh", ""), "title_en": definition.get("title", {}).get("en", ""),
            "initial": definition["initial"], "states": states, "grid": grid, "transitions": transitions}


def from_appstruct(values, kind):
    """(definition, renames) from the editor's values (states named by their stored ids)."""
    renames, states = {}, {}
    for row in values["states"]:
        if row["original_id"] and row["original_id"] != row["id"]:
            renames[row["original_id"]] = row["id"]
    granted = {}
    for value in values["grid"]:
        state, permission, role = value.split(GRID_SEP)
        granted.setdefault(state, {}).setdefault(permission, []).append(role)
    for row in values["states"]:
        held = granted.get(row["original_id"] or row["id"], {})
        states[row["id"]] = {"phase": row["phase"], "title": {"zh": row["title_zh"], "en": row["title_en"]},
                             "permissions": {p: [r for r in defs.ROLES if r in held[p]]
                                             for p in defs.PERMISSIONS[kind] if p in held}}
    named = lambda state: renames.get(state, state)        # noqa: E731
    order = [row["original_id"] or row["id"] for row in values["states"]]
    in_order = lambda chosen: [s for s in order if s in chosen] + sorted(set(chosen) - set(order))   # noqa: E731
    transitions = {}
    for row in values["transitions"]:
        transitions[row["id"]] = {
            "from": [named(s) for s in in_order(row["sources"])], "to": named(row["to"]),
            "permission": row["permission"] or None, "guards": [g for g in defs.GUARDS if g in row["guards"]],
            "timer": row["timer"] or None, "title": {"zh": row["title_zh"], "en": row["title_en"]}}
    definition = {"id": kind, "title": {"zh": values["title_zh"], "en": values["title_en"]},
                  "initial": named(values["initial"]), "states": states, "transitions": transitions}
    return definition, renames


def new_state_schema(kind, definition, lang):
    """Adding a state: where it sits in the life of the object, and what it starts with."""
    states = state_options(definition, lang)
    permissions = [(p, titles.PERMISSIONS[p]) for p in defs.PERMISSIONS[kind]]
    schema = colander.SchemaNode(colander.Mapping(), validator=lambda node, values: new_state_problem(
        node, values, definition))
    schema.add(text("id", _("Id (letters, digits, _)"), validator=ID_PATTERN,
                    description=_("A short name the portal uses, e.g. second_review.")))
    schema.add(text("title_zh", _("Title in Chinese")))
    schema.add(text("title_en", _("Title in English"), required=False))
    schema.add(choice("phase", _("Phase"), [(phase, titles.PHASES[phase]) for phase in defs.PHASES]))
    schema.add(choice("after", _("Reached from the state"), states))
    schema.add(choice("enter_permission", _("Moving into it needs the permission"), permissions))
    schema.add(choice("before", _("Leads on to the state"), states))
    schema.add(choice("leave_permission", _("Moving on needs the permission"), permissions))
    schema.add(choice("copy_from", _("Starts with the permissions of the state"), states,
                      description=_("Change them afterwards in the grid.")))
    return schema


def new_state_problem(node, values, definition):
    if values["id"] in definition["states"]:
        exc = colander.Invalid(node)
        exc["id"] = _("There is already a state with this id.")
        raise exc


def with_new_state(definition, values):
    """A copy of ``definition`` with the state of the add-a-state form and its two transitions."""
    new = {key: value for key, value in definition.items()}
    state = values["id"]
    new["states"] = dict(definition["states"])
    new["states"][state] = {
        "phase": values["phase"], "title": {"zh": values["title_zh"], "en": values["title_en"]},
        "permissions": {p: list(r) for p, r in definition["states"][values["copy_from"]]["permissions"].items()}}
    new["transitions"] = dict(definition["transitions"])
    enter, leave = unused(new["transitions"], f"to_{state}"), unused(new["transitions"], f"{state}_done")
    target = definition["states"][values["before"]]["title"]
    new["transitions"][enter] = {"from": [values["after"]], "to": state, "permission": values["enter_permission"],
                                 "guards": [], "timer": None, "title": dict(new["states"][state]["title"])}
    new["transitions"][leave] = {"from": [state], "to": values["before"], "permission": values["leave_permission"],
                                 "guards": [], "timer": None, "title": dict(target)}
    return new


def unused(taken, name):
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


PROBLEM_WORDS = {
    "no_states": _("A workflow needs states."),
    "bad_initial": _("The initial state ${detail} does not exist."),
    "bad_phase": _("State ${detail} has no valid phase."),
    "unknown_permission": _("Unknown permission: ${detail}."),
    "unknown_role": _("Unknown role: ${detail}."),
    "unknown_state": _("A transition names a state that does not exist: ${detail}."),
    "no_source": _("Transition ${detail} leaves no state."),
    "unknown_guard": _("Unknown guard: ${detail}."),
    "unknown_timer": _("Unknown timer: ${detail}."),
    "no_trigger": _("Transition ${detail} needs a permission or a timer."),
    "moves_phase": _("This edit would move an object in use into another phase: ${detail}. "
                     "Keep its state (or rename it, in the same phase) until the object has moved on."),
    "missing_phase": _("The portal needs a state in the phase ${detail}."),
    "unreachable": _("State ${detail} cannot be reached from the initial state."),
    "no_way_out": _("From state ${detail} no end (disclosed or ended) can be reached."),
    "yaml": _("The file is not valid YAML: ${detail}"),
    "duplicate_state": _("Two states have the id ${detail}."),
    "duplicate_transition": _("Two transitions have the id ${detail}."),
}


def describe(problems):
    return [_(PROBLEM_WORDS[code], mapping={"detail": detail}) for code, detail in problems]
