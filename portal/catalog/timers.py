"""Which types have timed transitions, and when the next one of an object is due.

Each workflowed concern registers its timer table and its catch-up function here from its own
``includeme`` (``register("Ballot", lifecycle.TIMERS, lifecycle.catch_up)``), so the catalog and
the tick import none of them.  A plain module-level table, like the evolve steps: the evolve step
that builds the catalog runs before any registry is current.
"""
TABLES = {}     # type name -> (timers: name -> f(obj) -> aware datetime or None, catch_up(obj, now))
PARTS = {}      # type name -> f(obj) -> the persistent parts of obj its catch-up reads (prefetched)
REMEMBERED = "_v_portal_next_due"     # (stored revision, workflow definition, next due) on the object


def register(type_name, timer_table, catch_up, parts=None):
    TABLES[type_name] = (timer_table, catch_up)
    if parts is not None:
        PARTS[type_name] = parts


def parts_read(obj):
    """The persistent parts of ``obj`` a catch-up reads, as its type registered them."""
    found = PARTS.get(getattr(obj, "type_name", None))
    return found(obj) if found is not None else ()


def next_due(obj):
    """The earliest time a timed transition out of ``obj``'s state falls due, or None."""
    found = TABLES.get(getattr(obj, "type_name", None))
    if found is None or not getattr(obj, "workflow_id", None):
        return None
    table = found[0]
    times = []
    for transition in obj.definition()["transitions"].values():
        timer = transition.get("timer")
        if timer and obj.state in transition["from"] and timer in table:
            when = table[timer](obj)
            if when is not None:
                times.append(when)
    return min(times) if times else None


def remembered_next_due(obj):
    """``next_due(obj)``, computed once per stored revision of ``obj`` and of its workflow.

    The timers read only the object's own attributes and its workflow definition, so the answer
    holds while neither changes: it is kept in a volatile attribute (dropped whenever the object is
    invalidated or ghosted) together with the object's serial and the definition it was read from,
    and not kept at all while the object has uncommitted changes."""
    if getattr(obj, "_p_jar", None) is None or obj._p_changed:
        return next_due(obj)
    definition = obj.definition() if getattr(obj, "workflow_id", None) else None
    kept = getattr(obj, REMEMBERED, None)
    if kept is not None and kept[0] == obj._p_serial and kept[1] is definition:
        return kept[2]
    when = next_due(obj)
    setattr(obj, REMEMBERED, (obj._p_serial, definition, when))
    return when


def is_due(obj, now):
    """Whether a timed transition of ``obj`` is due at ``now`` (one comparison once remembered)."""
    when = remembered_next_due(obj)
    return when is not None and when <= now


def catch_up(obj, now):
    """Fire what is due on ``obj``; the history entries made (none for an untimed type)."""
    found = TABLES.get(getattr(obj, "type_name", None))
    return found[1](obj, now) if found is not None else []
