"""The administrators' workflow editor: a deform form over a definition, built per kind."""
import colander
import deform

from portal.i18n import _
from portal.preparers import strip
from portal.workflow import definition as defs



def text(name, title, required=True):
    return colander.SchemaNode(colander.String(), name=name, title=title, preparer=strip,
                               missing=colander.required if required else "")


def choice(name, title, values, required=True):
    return colander.SchemaNode(colander.String(), name=name, title=title,
                               missing=colander.required if required else "",
                               widget=deform.widget.SelectWidget(values=[("", "—")] + [(v, v) for v in values]),
                               validator=colander.OneOf(list(values) + ([] if required else [""])))


def checkboxes(name, title, values):
    return colander.SchemaNode(colander.Set(), name=name, title=title, missing=(),
                               widget=deform.widget.CheckboxChoiceWidget(values=[(v, v) for v in values],
                                                                          inline=True))


def schema_for(kind):
    """The editor's schema for workflows of ``kind`` (its permissions are fixed by the code)."""
    state = colander.SchemaNode(colander.Mapping(), name="state", title=_("State"))
    state.add(colander.SchemaNode(colander.String(), name="original_id", missing="",
                                  widget=deform.widget.HiddenWidget()))
    state.add(text("id", _("Id (letters, digits, _)")))
    state.add(choice("phase", _("Phase"), defs.PHASES))
    state.add(text("title_zh", _("Title in Chinese"), required=False))
    state.add(text("title_en", _("Title in English"), required=False))
    for permission in defs.PERMISSIONS[kind]:
        state.add(checkboxes("perm_" + permission, permission, defs.ROLES))
    transition = colander.SchemaNode(colander.Mapping(), name="transition", title=_("Transition"))
    transition.add(text("id", _("Id (letters, digits, _)")))
    transition.add(text("sources", _("From states (ids, separated by commas)")))
    transition.add(text("to", _("To state (id)")))
    transition.add(choice("permission", _("Permission needed (empty: only by the timer)"),
                          defs.PERMISSIONS[kind], required=False))
    transition.add(checkboxes("guards", _("Guards"), defs.GUARDS))
    transition.add(choice("timer", _("Timer (fires by itself when due)"), defs.TIMERS, required=False))
    transition.add(text("title_zh", _("Title in Chinese"), required=False))
    transition.add(text("title_en", _("Title in English"), required=False))
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(text("title_zh", _("Title in Chinese"), required=False))
    schema.add(text("title_en", _("Title in English"), required=False))
    schema.add(text("initial", _("Initial state (id)")))
    schema.add(colander.SchemaNode(colander.Sequence(), state, name="states", title=_("States")))
    schema.add(colander.SchemaNode(colander.Sequence(), transition, name="transitions", title=_("Transitions")))
    return schema


def to_appstruct(definition, kind):
    states = []
    for state_id, state in definition["states"].items():
        row = {"original_id": state_id, "id": state_id, "phase": state["phase"],
               "title_zh": state["title"].get("zh", ""), "title_en": state["title"].get("en", "")}
        for permission in defs.PERMISSIONS[kind]:
            row["perm_" + permission] = set(state["permissions"].get(permission, ()))
        states.append(row)
    transitions = [{"id": tid, "sources": ", ".join(t["from"]), "to": t["to"], "permission": t["permission"] or "",
                    "guards": set(t["guards"]), "timer": t["timer"] or "", "title_zh": t["title"].get("zh", ""),
                    "title_en": t["title"].get("en", "")} for tid, t in definition["transitions"].items()]
    return {"title_zh": definition.get("title", {}).get("zh", ""), "title_en": definition.get("title", {}).get("en", ""),
            "initial": definition["initial"], "states": states, "transitions": transitions}


def from_appstruct(values, kind):
    """(definition, renames) from the editor's values."""
    states, renames = {}, {}
    for row in values["states"]:
        permissions = {p: sorted(row["perm_" + p]) for p in defs.PERMISSIONS[kind] if row["perm_" + p]}
        states[row["id"]] = {"phase": row["phase"], "title": {"zh": row["title_zh"], "en": row["title_en"]},
                             "permissions": permissions}
        if row["original_id"] and row["original_id"] != row["id"]:
            renames[row["original_id"]] = row["id"]
    transitions = {}
    for row in values["transitions"]:
        transitions[row["id"]] = {
            "from": [s.strip() for s in row["sources"].split(",") if s.strip()], "to": row["to"],
            "permission": row["permission"] or None, "guards": sorted(row["guards"]), "timer": row["timer"] or None,
            "title": {"zh": row["title_zh"], "en": row["title_en"]}}
    definition = {"id": kind, "title": {"zh": values["title_zh"], "en": values["title_en"]},
                  "initial": values["initial"], "states": states, "transitions": transitions}
    return definition, renames


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
}


def describe(problems):
    return [_(PROBLEM_WORDS[code], mapping={"detail": detail}) for code, detail in problems]
