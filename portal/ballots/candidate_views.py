"""``POST <ballot>/@candidates``: the street office records a candidate's eligibility check (page
and JSON, one schema); the ballot page lists the candidates with their checks."""
import colander
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, validate
from portal.ballots import candidates
from portal.ballots.models import Ballot
from portal.i18n import _
from portal.preparers import strip


class CandidateCheckSchema(colander.MappingSchema):
    matter = colander.SchemaNode(colander.String(), validator=colander.Length(1, 20))
    candidate = colander.SchemaNode(colander.String(), validator=colander.Length(1, 20))
    eligible = colander.SchemaNode(colander.Boolean(true_choices=("true",), false_choices=("false",)),
                                   title=_("Eligible to stand"))
    note = colander.SchemaNode(colander.String(), missing="", preparer=strip, validator=colander.Length(0, 500),
                               title=_("Note (how it was checked)"))


def form_values(request):
    if request.wants_json or request.content_type == "application/json":
        from portal.request import json_body

        return json_body(request) or {}
    return {k: request.POST.get(k, "") for k in ("matter", "candidate", "eligible", "note")}


@view_config(context=Ballot, name="@candidates", request_method="POST", permission="check_candidates")
def check_candidate(context, request):
    values = validate(request, CandidateCheckSchema(), form_values(request))
    try:
        check = candidates.record(context, values["matter"], values["candidate"], values["eligible"],
                                  values["note"], request.identity.uid, clock.now())
    except candidates.CheckRefused as refused:
        if request.wants_json:
            raise json_error(request, 409 if refused.field is None else 400, "refused", refused.message)
        request.session.flash(request.localizer.translate(refused.message))
        return HTTPFound(request.resource_url(context))
    request.audit("ballot.candidate_check", context, matter=values["matter"], candidate=values["candidate"],
                  eligible=check["eligible"])
    if request.wants_json:
        request.response.content_type = "application/json"
        from pyramid.renderers import render_to_response

        return render_to_response("json", check_json(values["matter"], values["candidate"], check),
                                  request=request)
    request.session.flash(request.localizer.translate(_("The check is recorded.")))
    return HTTPFound(request.resource_url(context) + "#candidates")


def check_json(matter_id, candidate_id, check):
    return {"matter": matter_id, "candidate": candidate_id,
            "eligible": check["eligible"] if check else None, "note": check["note"] if check else "",
            "when": check["when"].isoformat() if check else None}


def checks_json(ballot):
    """{matter id: {candidate id: check}} for the ballot's JSON."""
    out = {}
    for matter, candidate in candidates.candidates(ballot):
        check = candidates.check_of(ballot, matter["id"], candidate["id"])
        out.setdefault(matter["id"], {})[candidate["id"]] = check_json(matter["id"], candidate["id"], check)
    return out
