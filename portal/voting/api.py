"""The vote path and its reads, as JSON: ``@vote``, ``@progress``, ``@results``, ``@receipt``."""
import json

from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body, validate
from portal.ballots.models import Ballot
from portal.i18n import _
from portal.voting import service
from portal.voting.box import VoteRefused
from portal.voting.schemas import ballot_vote_schema

STATUS = {"sold_after_vote": 409, "closed": 409, "already_voted": 409, "electronic_prevails": 409, "not_in_electorate": 403,
          "unknown_matter": 400, "incomplete": 400, "key_reused": 422, "too_many_changes": 429}


@view_config(context=Ballot, name="@vote", json=True, request_method="POST", permission="vote")
def vote_api(context, request):
    """The receipt as JSON; the response is made here, not by a renderer: the hot path needs no
    template values (``BeforeRender`` builds the page helpers for every rendered response)."""
    if request.identity is None:                # `vote` granted to anyone: still only an account votes
        raise json_error(request, 401, "unauthorized", _("Sign in first."))
    body = require_body(request)
    if not isinstance(body.get("votes"), dict):
        raise json_error(request, 400, "invalid", _('Send the votes as {"votes": {matter id: choice}}.'))
    choices = validate(request, ballot_vote_schema(context), body["votes"])
    try:
        receipt, keys = service.vote(context, request.identity.uid, choices, clock.now(),
                                     request.headers.get("Idempotency-Key"))
    except VoteRefused as refused:
        raise json_error(request, STATUS[refused.code], refused.code, refused.message)
    response = request.response
    response.content_type, response.charset = "application/json", "utf-8"
    response.text = json.dumps({"receipt": receipt, "owners": len(keys)})
    return response


@view_config(context=Ballot, name="@progress", json=True, request_method="GET", permission="view_progress",
             renderer="json")
def progress_api(context, request):
    return service.progress(context)


@view_config(context=Ballot, name="@results", json=True, request_method="GET", permission="view_results",
             renderer="json")
def results_api(context, request):
    return service.results(context)


@view_config(context=Ballot, name="@receipt", json=True, request_method="GET", permission="view", renderer="json")
def receipt_api(context, request):
    box = service.box_of(context)
    found = None
    if box is not None and request.identity is not None:
        found = box.check_receipt(service.voter_units(context, request.identity.uid), request.params.get("code"))
    if found is None:
        raise json_error(request, 404, "not_found", _("No vote of yours has this receipt code on this ballot."))
    return {"matters": found["matters"], "when": found["when"].isoformat(), "current": found["current"]}
