"""Paper ballots as JSON: ``GET <ballot>/@paper`` lists them with their state, ``POST <ballot>/@paper``
enters one (multipart: ``unit``, ``votes`` as the JSON of an electronic vote, ``scan``), ``POST
<ballot>/@proxy`` enters a written proxy (the same, and ``proxy_name``), and ``POST
<ballot>/@paper-review`` approves or rejects one.  The same schemas and service as the pages; the
second entry, mismatches, batches, corrections and the count record are in ``api_count``."""
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.ballots.models import Ballot
from portal.i18n import _
from portal.paper import service
from portal.paper.rules import PAPER, PROXY, SECOND, proxy_problem
from portal.paper.schemas import paper_schema, review_schema
from portal.paper.views import may_see
from portal.request import decode_json
from portal.voting.box import VoteRefused

NOT_ALLOWED = _("You are not allowed to do this here.")     # the words of every permission refusal
NO_PAPER = _("This ballot does not accept paper ballots.")
NOT_FOUND = _("There is no such paper ballot on this ballot.")
VOTES_JSON = _('Send the votes as the JSON text {matter id: choice}.')
NEED_REASON = _("Give the reason for rejecting it.")
STATUS = {"scan": 400, "not_in_electorate": 400, "reviewed": 409, "closed": 409, "unknown_matter": 400,
          "incomplete": 400, "already_voted": 409, "electronic_prevails": 409, "no_proxies": 409,
          "same_person": 403, "unchecked": 409, "no_objection": 400}


def paper_json(request, ballot, paper_id, record):
    """An entry's state and its marks, each matter named (no one's name: the unit's key); the marks
    of an entry that waits for its blind second entry are not shown."""
    shown = record["state"] != SECOND
    return {"id": paper_id, "kind": record.get("kind", PAPER), "unit": record["unit"], "state": record["state"],
            "reason": record["reason"],
            "entered_at": record["entered_at"].isoformat(),
            "reviewed_at": record["reviewed_at"].isoformat() if record.get("reviewed_at") else None,
            "matters": [{"id": m["id"], "title": m["title"], "mark": record["matters"].get(m["id"]) if shown else None,
                         "second": (record.get("second") or {}).get(m["id"])} for m in ballot.matters],
            "correction": {"objection": record["correction"]["objection"], "reason": record["correction"]["reason"]}
            if record.get("correction") else None,
            "scan": request.resource_url(ballot, "@paper-scan", query={"id": paper_id})}


def signed_in(request):
    if request.identity is None:
        raise json_error(request, 401, "unauthorized", _("Sign in first."))


def refused(request, refusal):
    raise json_error(request, STATUS.get(refusal.code, 400), refusal.code, refusal.message)


@view_config(context=Ballot, name="@paper", json=True, request_method="GET", permission="view", renderer="json")
def list_paper(context, request):
    signed_in(request)
    if not may_see(request, context):
        raise json_error(request, 403, "forbidden", NOT_ALLOWED)
    return {"items": [paper_json(request, context, pid, r) for pid, r in service.records(context)]}


def upload_of(request, name):
    """A multipart file field as deform's file data, or the field's text (the schema refuses it)."""
    field = request.POST.get(name)
    if field is None or not hasattr(field, "file"):
        return field if isinstance(field, str) else None
    return {"filename": field.filename, "fp": field.file, "mimetype": field.type}


@view_config(context=Ballot, name="@paper", json=True, request_method="POST", permission="enter_paper",
             renderer="json")
def enter_paper(context, request):
    if not context.allow_paper:
        raise json_error(request, 409, "no_paper", NO_PAPER)
    return entered(context, request, PAPER)


@view_config(context=Ballot, name="@proxy", json=True, request_method="POST", permission="enter_paper",
             renderer="json")
def enter_proxy(context, request):
    problem = proxy_problem(context.allow_proxies)
    if problem is not None:
        raise json_error(request, 409, "no_proxies", problem)
    return entered(context, request, PROXY)


def entered(context, request, kind):
    """An entry of either kind from the multipart body, through the page's schema and rules."""
    text = request.POST.get("votes", "")
    votes = decode_json(text.encode("utf-8")) if isinstance(text, str) else None    # not a file either
    if not isinstance(votes, dict):
        raise json_error(request, 400, "invalid", VOTES_JSON, {"votes": VOTES_JSON})
    fields = {"unit": request.POST.get("unit", ""), "votes": votes}
    if kind == PROXY:
        fields["proxy_name"] = request.POST.get("proxy_name", "")
    scan = upload_of(request, "scan")
    if scan is not None:
        fields["scan"] = scan
    schema = paper_schema(context, service.voting_units(context), request.localizer.translate, proxy=kind == PROXY)
    values = validate(request, schema, fields)
    data = values["scan"]["fp"].read() if values.get("scan") else b""
    name_enc = request.registry.personal_data.encrypt(values["proxy_name"]) if kind == PROXY else b""
    try:
        paper_id = service.enter(context, values["unit"], values["votes"], data, request.identity.uid, clock.now(),
                                 kind=kind, proxy_name_enc=name_enc)
    except VoteRefused as refusal:
        refused(request, refusal)
    request.audit("paper.enter", context, paper=paper_id, kind=kind)
    request.response.status_int = 201
    return paper_json(request, context, paper_id, service.paper_of(context)[paper_id])


@view_config(context=Ballot, name="@paper-review", json=True, request_method="POST", permission="review_paper",
             renderer="json")
def review_paper(context, request):
    values = validate(request, review_schema(), require_body(request))
    if values["id"] not in (context.paper or {}):
        raise json_error(request, 404, "not_found", NOT_FOUND)
    approve = values["decision"] == "approve"
    reason = values["reason"].strip()
    if not approve and not reason:
        raise json_error(request, 400, "invalid", NEED_REASON, {"reason": NEED_REASON})
    try:
        record = service.review(context, values["id"], approve, request.identity.uid, clock.now(), reason)
    except VoteRefused as refusal:
        refused(request, refusal)
    request.audit("paper.review", context, paper=values["id"], state=record["state"])
    return paper_json(request, context, values["id"], record)
