"""Ballots as JSON: create in ``<community>/ballots``, read one, list them."""
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.ballots import lifecycle, rules, services
from portal.ballots.models import Ballot, Ballots
from portal.ballots.schemas import BallotSchema
from portal.ballots.views import visible_ballots
from portal.i18n import _
from portal.register.rules import format_area


def matters_json(ballot):
    """The matters with their rule; an election's candidates carry the street office's check."""
    from portal.ballots.candidate_views import checks_json

    checks = checks_json(ballot)
    out = []
    for matter in ballot.matters:
        data = dict(matter, rule=rules.rule_of(matter["category"]))
        data.setdefault("kind", "question")
        if "candidates" in data:
            data["candidates"] = [dict(c, check=checks[matter["id"]][c["id"]]) for c in matter["candidates"]]
        out.append(data)
    return out


def ballot_json(request, ballot):
    opens, closes = ballot.window()
    data = {
        "@id": request.resource_url(ballot).rstrip("/"), "@type": "Ballot", "id": ballot.__name__,
        "title": ballot.title, "description": ballot.description, "review_state": ballot.state,
        "phase": ballot.phase(), "start_date": ballot.start_date.isoformat(),
        "end_date": ballot.end_date.isoformat(), "opens": opens.isoformat(), "closes": closes.isoformat(),
        "scope": list(ballot.scope), "allow_vote_change": ballot.allow_vote_change,
        "allow_paper": ballot.allow_paper, "allow_proxies": ballot.allow_proxies,
        "electronic_prevails": ballot.electronic_prevails,
        "election_ranking": ballot.election_ranking,
        "notice_days": ballot.notice_days, "objection_days": ballot.objection_days, "follow_majority": ballot.follow_majority,
        "follow_majority_basis": ballot.follow_majority_basis, "rules_document": ballot.rules_document or None,
        "matters": matters_json(ballot),
        "attachments": [{"@id": request.resource_url(ballot, "@attachment", query={"n": n}),
                         "filename": a["filename"], "content_type": a["content_type"], "size": a["size"]}
                        for n, a in enumerate(ballot.attachments)],
        "notice_published": ballot.published.isoformat() if ballot.published else None,
        "filing": {"pdf": request.resource_url(ballot, "@filing.pdf"), "zip": request.resource_url(ballot, "@filing.zip")}
        if request.has_permission("view_filing", ballot) else None,
        "history": [{"from": h["from"], "to": h["to"], "transition": h["transition"],
                     "when": h["when"].isoformat(), "comment": h["comment"]} for h in ballot.history],
    }
    if ballot.electorate is not None:
        totals = ballot.electorate.totals
        data["electorate"] = {"total_owners": totals.owners, "total_area": format_area(totals.area),
                              "units": totals.units, "frozen_at": ballot.electorate.frozen_at.isoformat()}
    return data


@view_config(context=Ballot, json=True, request_method="GET", permission="view", renderer="json")
def read_ballot(context, request):
    return ballot_json(request, context)


@view_config(context=Ballots, json=True, request_method="GET", permission="view", renderer="json")
def list_ballots(context, request):
    return {"@id": request.resource_url(context).rstrip("/"), "@type": "Ballots",
            "items": [ballot_json(request, b) for b in visible_ballots(request, context)]}


@view_config(context=Ballots, json=True, request_method="POST", permission="add_ballot", renderer="json")
def create_ballot(context, request):
    body = require_body(request)
    if body.get("@type") != "Ballot":
        raise json_error(request, 400, "unknown_type", _("${found} cannot be created here; this container "
                                                         "holds ${expected}."),
                         mapping={"found": str(body.get("@type")), "expected": "Ballot"})
    schema = BallotSchema().bind(request=request, buildings=lifecycle.buildings(context.__parent__["register"]),
                                 rules_documents=lifecycle.rules_documents(context.__parent__))
    values = validate(request, schema, body)
    ballot = services.create(context, values, request.identity.uid, clock.now())
    request.audit("ballot.create", ballot)
    request.response.status_int = 201
    request.response.headers["Location"] = request.resource_url(ballot)
    return ballot_json(request, ballot)
