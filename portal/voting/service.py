"""Casting votes, progress and results for a ballot (no Pyramid here)."""
from portal.binding.service import bound_identities
from portal.events import notify
from portal.i18n import _
from portal.register.rules import format_area
from portal.voting import tally, verdicts
from portal.voting.box import BallotBox, VoteRefused
from portal.voting.results_words import area_text, percent_tenths
from portal.voting.events import VotesReplaced


def box_of(ballot):
    """The ballot's box, made from its frozen electorate the first time it is needed."""
    if ballot.box is None:
        if ballot.electorate is None:
            return None
        ballot.box = BallotBox(ballot.electorate)
    return ballot.box


def voter_units(ballot, uid):
    """The keys of the units the account is bound to now (a new owner of a sold unit included)."""
    register = ballot.community["register"]
    return sorted({unit_id for h in bound_identities(register, uid) for unit_id in register.unit_ids_of(h)})


def vote(ballot, uid, choices, now, retry_key=None):
    """An owner's electronic vote during voting; return (receipt, owner keys)."""
    if ballot.phase() != "voting":
        raise VoteRefused("closed", _("This ballot is not open for voting now."))
    cast = record(ballot, uid, voter_units(ballot, uid), choices, now, retry_key=retry_key)
    return cast.receipt, cast.owners


def record(ballot, uid, units, choices, now, channel="electronic", retry_key=None):
    """Cast into the ballot's box under the ballot's settings; tell who listens what it replaced."""
    cast = box_of(ballot).cast(uid, units, ballot.matters, choices, now, allow_change=ballot.allow_vote_change,
                               retry_key=retry_key, channel=channel,
                               electronic_prevails=ballot.electronic_prevails)
    if cast.replaced:
        notify(VotesReplaced(ballot, channel, cast.replaced))
    return cast


def progress(ballot):
    """How many owners have voted and their area, against the totals (no per-option counts)."""
    box = box_of(ballot)
    owners, area = box.totals
    return {"voted_owners": box.voted_owners(), "voted_area": format_area(box.voted_area()),
            "total_owners": owners, "total_area": format_area(area),
            "quorum_owners": tally.quorum_line(owners), "quorum_area": format_area(tally.quorum_line(area))}


def progress_figures(ballot):
    """For the page: [(label, percent, text)] for owners and area, at the results' precision
    (percent to one decimal rounded half up, area with thousands separated)."""
    box = box_of(ballot)
    rows = []
    for label, done, total, shown in ((_("Owners who have voted"), box.voted_owners(), box.totals[0], str),
                                      (_("Their area (m²)"), box.voted_area(), box.totals[1], area_text)):
        share = percent_tenths(done, total) / 10
        rows.append((label, share, f"{shown(done)} / {shown(total)}"))
    return rows


def results(ballot):
    """{"matters": plain results, "follow_majority": adjusted ones or None} as dicts (areas as text)."""
    box, electorate = box_of(ballot), ballot.electorate
    votes = box.plain_votes()
    owners = dict(box.areas.items())
    plain = tally.tally(ballot.matters, electorate.units, electorate.include_parking, votes, ballot.election_ranking,
                        owners=owners)
    adjusted = None
    if ballot.follow_majority:
        adjusted = tally.follow_majority(ballot.matters, electorate.units, electorate.include_parking, votes,
                                         owners=owners)
    return {"matters": [verdicts.as_json(r) for r in plain],
            "follow_majority": [verdicts.as_json(r) for r in adjusted] if adjusted is not None else None}
