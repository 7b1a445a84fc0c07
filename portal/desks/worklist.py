"""A street office's worklist: across its communities, what waits for it, oldest first (no Pyramid).

The ballots come from the catalog (those under the street in the phases where work waits), never
from a walk of the street; each line names the work, the ballot, since when it waits and, where
a deadline follows from the rules, by when.
"""
from portal.ballots.rules import last_notice_day, local_date
from portal.binding import unbind_requests
from portal.releases import rules as releases

REVIEW, PUBLISH, PAPER, EXTENSION, ROOMS, PRELIMINARY, OBJECTIONS, UNBIND = (
    "review", "publish_notice", "paper", "extension", "rooms", "preliminary", "objections", "unbind")
KINDS = (REVIEW, PUBLISH, PAPER, EXTENSION, ROOMS, PRELIMINARY, OBJECTIONS, UNBIND)
WORK_PHASES = ("review", "notice", "voting", "counting")


def lines(ballot, now):
    """[(kind, since, detail)] of the work one ballot waits for."""
    found = []
    since = ballot.history[-1]["when"] if ballot.history else now
    phase = ballot.phase()
    if ballot.state == "submitted":
        found.append((REVIEW, since, {}))
    if ballot.state == "approved":
        found.append((PUBLISH, since, {"last_day": last_notice_day(ballot.start_date, ballot.notice_days).isoformat()}))
    pending = [record for record in (ballot.paper or {}).values() if record.get("state") == "pending"]
    if pending:
        found.append((PAPER, min(r["entered_at"] for r in pending), {"count": len(pending)}))
    extension = ballot.extension
    if extension and not extension.get("approved_at") and phase == "voting":
        found.append((EXTENSION, extension["requested_at"], {"end_date": extension["end_date"].isoformat()}))
    if phase in ("notice", "voting"):
        for kind in releases.LISTS:
            start, until = releases.window(kind, ballot)
            released = (ballot.releases or {}).get(kind)
            if start <= now < until and not released:
                found.append((ROOMS, start, {"list": kind}))
    if ballot.state == "closed":
        found.append((PRELIMINARY, since, {}))
    if ballot.objections is not None:
        waiting = [o for o in ballot.objections.values() if o.status != "decided"]
        if waiting:
            found.append((OBJECTIONS, min(o.filed_at for o in waiting), {"count": len(waiting)}))
    return found


def unbind_lines(register):
    """[(UNBIND, since, unit, {"owner": index})]: an owner asks for the account holding their
    identity to be unbound; the line leads to the first of the identity's units."""
    found = []
    for id_hash, record in unbind_requests.pending(register):
        units = register.units_of(id_hash)
        if units:
            index = next(n for n, o in enumerate(units[0].owners) if o.id_hash == id_hash)
            found.append((UNBIND, record["when"], units[0], {"owner": index}))
    return found


def worklist(ballots, now, registers=()):
    """(every line, oldest first, as (kind, since, ballot or unit, detail); {kind: count})."""
    rows = [(kind, since, ballot, detail) for ballot in ballots for kind, since, detail in lines(ballot, now)]
    rows += [row for register in registers for row in unbind_lines(register)]
    rows.sort(key=lambda row: row[1])
    counts = {kind: sum(1 for row in rows if row[0] == kind) for kind in KINDS}
    return rows, counts


def waiting_days(since, now):
    return (local_date(now) - local_date(since)).days
