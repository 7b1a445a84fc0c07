"""Firing transitions, by a person or by the clock (no Pyramid here).

A workflowed object keeps only ``workflow_id``, ``state`` and ``history`` (who, when, from, to,
transition, comment).  Guards and timers are named in the definition; the caller passes the
functions that decide them (``guards``: name -> f(obj, now, comment) -> None or a message;
``timers``: name -> f(obj) -> the aware datetime it is due, or None).
"""
from portal.events import StateChanged, notify


class TransitionRefused(Exception):
    def __init__(self, code, message=None):
        super().__init__(code)
        self.code = code
        self.message = message


class Workflowed:
    """Mixin for persistent objects that follow a workflow."""

    workflow_id = None
    state = None
    history = ()

    def start_workflow(self, definition, who, now):
        self.workflow_id = definition["id"]
        self.state = definition["initial"]
        self.history = ({"who": who, "when": now, "from": None, "to": self.state, "transition": None,
                         "comment": ""},)


def startable(definition, obj, can):
    """Transitions a person may fire now: from this state, with a permission ``can`` grants."""
    return [(tid, t) for tid, t in definition["transitions"].items()
            if obj.state in t["from"] and t.get("permission") and can(t["permission"])]


def check(definition, obj, transition_id, now, comment, guards, can=None):
    """The transition, if it may fire now; TransitionRefused says why not."""
    transition = definition["transitions"].get(transition_id)
    if transition is None:
        raise TransitionRefused("unknown")
    if obj.state not in transition["from"]:
        raise TransitionRefused("not_now")
    if can is not None and not (transition.get("permission") and can(transition["permission"])):
        raise TransitionRefused("forbidden")
    for name in transition.get("guards", ()):
        message = guards[name](obj, now, comment)
        if message is not None:
            raise TransitionRefused("guard", message)
    return transition


def fire(definition, obj, transition_id, who, now, comment="", guards=None, can=None):
    """Move ``obj`` along ``transition_id``; return the history entry."""
    transition = check(definition, obj, transition_id, now, comment, guards or {}, can)
    entry = {"who": who, "when": now, "from": obj.state, "to": transition["to"],
             "transition": transition_id, "comment": comment or ""}
    obj.state = transition["to"]
    obj.history = tuple(obj.history) + (entry,)
    notify(StateChanged(obj, entry))
    return entry


def due(definition, obj, now, timers):
    """The first timed transition out of the current state that is due, or None."""
    for transition_id, transition in definition["transitions"].items():
        timer = transition.get("timer")
        if timer and obj.state in transition["from"]:
            when = timers[timer](obj)
            if when is not None and when <= now:
                return transition_id
    return None


def catch_up(definition, obj, now, timers, guards, entered=None, limit=10):
    """Fire every due timed transition in turn (as the clock, ``who`` = "clock"); return entries.

    ``entered(obj, phase, entry)`` runs after each move, e.g. to freeze the electorate.  A guard
    that refuses stops the chain where it is."""
    entries = []
    for _ in range(limit):
        transition_id = due(definition, obj, now, timers)
        if transition_id is None:
            break
        try:
            entry = fire(definition, obj, transition_id, "clock", now, guards=guards)
        except TransitionRefused:
            break
        entries.append(entry)
        if entered is not None:
            entered(obj, definition["states"][obj.state]["phase"], entry)
    return entries
