"""Which types have timed transitions, and when the next one of an object is due.

Each workflowed concern registers its timer table and its catch-up function here from its own
``includeme`` (``register("Ballot", lifecycle.TIMERS, lifecycle.catch_up)``), so the catalog and
the tick import none of them.  A plain module-level table, like the evolve steps: the evolve step
that builds the catalog runs before any registry is current.
"""
TABLES = {}     # type name -> (timers: name -> f(obj) -> aware datetime or None, catch_up(obj, now))


def register(type_name, timer_table, catch_up):
    TABLES[type_name] = (timer_table, catch_up)


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


def catch_up(obj, now):
    """Fire what is due on ``obj``; the history entries made (none for an untimed type)."""
    found = TABLES.get(getattr(obj, "type_name", None))
    return found[1](obj, now) if found is not None else []
