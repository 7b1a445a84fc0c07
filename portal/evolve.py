"""Named evolve steps, recorded in the database.

When stored objects must change shape, add a step here (a name and a function taking the
Portal).  At start-up every step not yet recorded runs, each in its own transaction, and is
recorded with the time it ran.  A new database records every known step as done, since it is
created in the current shape.
"""
import logging

import transaction

from portal import clock

log = logging.getLogger(__name__)

# (name, function(portal)), kept in the order they must run: by the four-digit number each name
# starts with ("0007-register-gap-units"), whatever order the packages that define them load in.
# Names are never reused or renamed; a number is used once.
STEPS = []


def step(name):
    """Decorator: register ``function(portal)`` as the evolve step ``name`` ("NNNN-what")."""
    number = name.split("-", 1)[0]
    if len(number) != 4 or not number.isdigit():
        raise ValueError(f"evolve step {name!r} must start with a four-digit number")

    def register(function):
        if any(existing.split("-", 1)[0] == number for existing, _fn in STEPS):
            raise ValueError(f"evolve step number {number} is registered twice")
        STEPS.append((name, function))
        STEPS.sort(key=lambda pair: pair[0])
        return function

    return register


def mark_all_done(portal, steps=None):
    for name, _function in steps if steps is not None else STEPS:
        portal.evolved[name] = clock.now()


def pending(portal, steps=None):
    return [(n, f) for n, f in (steps if steps is not None else STEPS) if n not in portal.evolved]


def run_pending(db, steps=None):
    """Run every step the database has not recorded; return the names run."""
    ran = []
    conn = db.open(transaction.TransactionManager())
    try:
        tm = conn.transaction_manager
        for name, function in pending(conn.root()["portal"], steps):
            tm.begin()
            try:
                portal = conn.root()["portal"]
                function(portal)
                portal.evolved[name] = clock.now()
                tm.get().note(f"evolve: {name}")
                tm.commit()
            except BaseException:
                tm.abort()
                raise
            log.info("evolve step %s done", name)
            ran.append(name)
    finally:
        conn.close()
    return ran
