"""The paper count as JSON: ``<ballot>/@paper-count`` (GET the record and the reconciliation, POST
the record), ``@paper-second`` (the blind second entry), ``@paper-resolve`` (which entry the scan
shows), ``@paper-batch`` (approve several) and ``@paper-correct`` (the correction an upheld
objection leads to).  The same schemas, rules and service as the pages; no names in any answer."""
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.ballots.models import Ballot
from portal.paper import count, service
from portal.paper.api import NOT_ALLOWED, NOT_FOUND, paper_json, refused, signed_in
from portal.paper.count_views import save
from portal.paper.rules import COUNTER, SUPERVISOR
from portal.paper.schemas import batch_schema, correct_schema, count_schema, resolve_schema, second_schema
from portal.paper.views import approve_all, may_see
from portal.voting.box import VoteRefused


def count_json(ballot):
    """The count record without names (how many counters and supervisors) and the reconciliation."""
    record = count.count_of(ballot)
    figures = count.reconciled(ballot)
    people = (record or {}).get("people", ())
    return {"count": {"issued": record["issued"], "returned": record["returned"],
                      "second_entry": record["second_entry"],
                      "counters": sum(1 for p in people if p["role"] == COUNTER),
                      "supervisors": sum(1 for p in people if p["role"] == SUPERVISOR)} if record else None,
            "reconciliation": {k: v for k, v in figures.items() if k != "rows"} if figures else None}


@view_config(context=Ballot, name="@paper-count", json=True, request_method="GET", permission="view", renderer="json")
def get_count(context, request):
    signed_in(request)
    if not may_see(request, context):
        raise json_error(request, 403, "forbidden", NOT_ALLOWED)
    data = count_json(context)
    if data["reconciliation"]:
        data["reconciliation"]["problems"] = [request.localizer.translate(p) for p in data["reconciliation"]["problems"]]
    return data


@view_config(context=Ballot, name="@paper-count", json=True, request_method="POST", permission="enter_paper",
             renderer="json")
def post_count(context, request):
    values = validate(request, count_schema(), require_body(request))
    try:
        save(request, context, values)
    except count.CountRefused as refusal:
        message = request.localizer.translate(refusal.message)
        raise json_error(request, 400, "invalid", message, {refusal.field: message})
    request.audit("paper.count", context)
    return get_count(context, request)


def entry(request, context, values):
    if service.get(context, values["id"]) is None:
        raise json_error(request, 404, "not_found", NOT_FOUND)
    return values["id"]


def changed(request, context, values, action, change, **detail):
    """One entry changed by ``change(paper_id, who, now)``: a refusal in words, else audited and answered."""
    paper_id = entry(request, context, values)
    try:
        record = change(paper_id, request.identity.uid, clock.now())
    except VoteRefused as refusal:
        refused(request, refusal)
    request.audit(action, context, paper=paper_id, state=record["state"], **detail)
    return paper_json(request, context, paper_id, record)


@view_config(context=Ballot, name="@paper-second", json=True, request_method="POST", permission="enter_paper",
             renderer="json")
def second(context, request):
    values = validate(request, second_schema(context, request.localizer.translate), require_body(request))
    return changed(request, context, values, "paper.second_entry", lambda paper_id, who, now:
                   service.second_entry(context, paper_id, values["votes"], who, now))


@view_config(context=Ballot, name="@paper-resolve", json=True, request_method="POST", permission="review_paper",
             renderer="json")
def resolve(context, request):
    values = validate(request, resolve_schema(), require_body(request))
    return changed(request, context, values, "paper.resolve", lambda paper_id, who, now:
                   service.resolve(context, paper_id, values["which"], who, now))


@view_config(context=Ballot, name="@paper-batch", json=True, request_method="POST", permission="review_paper",
             renderer="json")
def batch(context, request):
    values = validate(request, batch_schema(), require_body(request))
    ids = list(dict.fromkeys(values["ids"]))
    unknown = [i for i in ids if service.get(context, i) is None]
    if unknown:
        raise json_error(request, 404, "not_found", NOT_FOUND)
    items = []
    for paper_id, state in approve_all(context, ids, request.identity.uid):
        if isinstance(state, str) and state in ("approved", "flagged"):
            request.audit("paper.review", context, paper=paper_id, state=state)
            items.append({"id": paper_id, "state": state})
        else:
            items.append({"id": paper_id, "state": service.get(context, paper_id)["state"],
                          "error": request.localizer.translate(state)})
    return {"items": items}


@view_config(context=Ballot, name="@paper-correct", json=True, request_method="POST", permission="review_paper",
             renderer="json")
def correct(context, request):
    values = validate(request, correct_schema(), require_body(request))
    return changed(request, context, values, "paper.correct", lambda paper_id, who, now:
                   service.correct(context, paper_id, values["objection"], who, now, values["reason"]),
                   objection=values["objection"])
