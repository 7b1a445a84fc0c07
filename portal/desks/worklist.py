"""A street office's worklist: across its communities, what waits for it, oldest first (no Pyramid).

The ballots come from the catalog (those under the street in the phases where work waits), never
from a walk of the street; each line names the work, the ballot, since when it waits and, where
a deadline follows from the rules, by when.
"""
from portal.ballots.rules import last_notice_day, local_date
from portal.releases import rules as releases

REVIEW, PUBLISH, PAPER, EXTENSION, ROOMS, PRELIMINARY, OBJECTIONS = (
    "review", "publish_notice", "paper", "extension", "rooms", "preliminary", "objections")
KINDS = (REVIEW, PUBLISH, PAPER, EXTENSION, ROOMS, PRELIMINARY, OBJECTIONS)
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


def worklist(ballots, now):
    """(every line, oldest first, as (kind, since, ballot, detail); {kind: count})."""
    rows = [(kind, since, ballot, detail) for ballot in ballots for kind, since, detail in lines(ballot, now)]
    rows.sort(key=lambda row: row[1])
    counts = {kind: sum(1 for row in rows if row[0] == kind) for kind in KINDS}
    return rows, counts


def waiting_days(since, now):
    return (local_date(now) - local_date(since)).days
