"""``<ballot>/@objections``: owners file objections to the preliminary results (page and JSON,
JSON or multipart with an ``attachment``); ``<ballot>/@objections/<n>/@answer``: the organizer or
the street office answers, the street office decides upheld / not upheld with reasons.  Lists
never name the filer: an owner sees their own objections while the period runs, staff see all,
and after the final disclosure everyone who may read the results sees all, with their answers."""
import colander
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, validate
from portal.ballots.models import Ballot
from portal.i18n import _
from portal.objections import rules, service
from portal.preparers import strip
from portal.request import json_body


class ObjectionSchema(colander.MappingSchema):
    matter = colander.SchemaNode(colander.String(), missing=None,
                                 title=_("Which matter (none: the ballot as a whole)"),
                                 validator=colander.Length(1, 20))
    text = colander.SchemaNode(colander.String(), preparer=strip, validator=colander.Length(1, 5000),
                               title=_("Your objection"))


class AnswerSchema(colander.MappingSchema):
    text = colander.SchemaNode(colander.String(), preparer=strip, validator=colander.Length(1, 5000),
                               title=_("Answer, with the reasons"))
    decision = colander.SchemaNode(colander.String(), missing=None,
                                   validator=colander.OneOf(rules.DECISIONS), title=_("Decision"))
    correction = colander.SchemaNode(colander.String(), missing="", preparer=strip,
                                     validator=colander.Length(0, 2000),
                                     title=_("Correction made (for an upheld objection about counting)"))


def submitted(request, names):
    """The request's values: its JSON object, or the named form fields (files kept as bytes)."""
    if request.content_type == "application/json":
        body = json_body(request)
        if body is None:
            raise json_error(request, 400, "bad_request", _("Send a JSON object as the request body."))
        return body, None
    values = {name: request.POST.get(name, "") for name in names}
    upload = request.POST.get("attachment")
    data = upload.file.read() if hasattr(upload, "file") else None
    return values, data


def sees_all(request, ballot):
    return (request.has_permission("answer_objection", ballot) or request.has_permission("decide_objection", ballot)
            or ballot.phase() == "disclosed")


def visible(request, ballot):
    uid = request.identity.uid if request.identity is not None else None
    found = service.objections_of(ballot).values()
    return found if sees_all(request, ballot) else [o for o in found if uid is not None and o.filer == uid]


def objection_json(request, ballot, objection):
    return {"id": objection.number, "matter": objection.matter, "text": objection.text,
            "status": objection.status, "filed": objection.filed_at.isoformat(),
            "attachment": request.resource_url(ballot, "@objections", str(objection.number), "@attachment")
            if objection.attachment else None,
            "answers": [{"role": a["role"], "text": a["text"], "when": a["when"].isoformat()} for a in objection.answers],
            "decision": objection.decision["decision"] if objection.decision else None,
            "correction": objection.decision["correction"] if objection.decision else ""}


def refuse(request, ballot, refused, status=409):
    if request.wants_json:
        raise json_error(request, status, refused.code, refused.message)
    request.session.flash(request.localizer.translate(refused.message))
    return HTTPFound(request.resource_url(ballot, "@objections"))


@view_config(context=Ballot, name="@objections", request_method="GET", permission="view_objections")
def objections_read(context, request):
    if request.subpath:
        return attachment(context, request)
    items = visible(request, context)
    if request.wants_json:
        return render_to_response("json", {"items": [objection_json(request, context, o) for o in items],
                                           "period_ends": period_end(context)}, request=request)
    return render_to_response("portal.templates:objections.pt", {
        "items": items, "can_file": request.has_permission("object", context)
        and rules.filing_problem(service.published_at(context), context.objection_days, clock.now()) is None,
        "can_answer": request.has_permission("answer_objection", context),
        "can_decide": request.has_permission("decide_objection", context), "period_ends": period_end(context),
        "matters": context.matters, "decisions": DECISION_WORDS}, request=request)


DECISION_WORDS = {rules.UPHELD: _("Upheld"), rules.NOT_UPHELD: _("Not upheld")}


def period_end(ballot):
    from portal.ballots.rules import objection_last_day

    published = service.published_at(ballot)
    if published is None or ballot.phase() != "counting":
        return None
    return objection_last_day(published, ballot.objection_days).isoformat()


def attachment(ballot, request):
    from pyramid.response import Response

    from portal import uploads

    parts = list(request.subpath)
    number = parse_number(parts[0]) if len(parts) == 2 and parts[1] == "@attachment" else None
    found = [o for o in visible(request, ballot) if o.number == number and o.attachment]
    if not found:
        raise HTTPNotFound()
    stored = found[0].attachment
    return Response(uploads.read(stored["blob"]), content_type=stored["content_type"],
                    content_disposition=uploads.disposition(f"objection-{number}", inline=True))


def parse_number(text):
    return int(text) if text.isdigit() and len(text) < 7 else None


@view_config(context=Ballot, name="@objections", request_method="POST", permission="view_objections")
def objections_write(context, request):
    parts = list(request.subpath)
    if parts:
        number = parse_number(parts[0]) if len(parts) == 2 and parts[1] == "@answer" else None
        if number is None:
            raise HTTPNotFound()
        return answer(context, request, number)
    if not request.has_permission("object", context):
        return refuse(request, context, service.Refused("forbidden", _("Only owners of the community may object, "
                                                                          "while the objection period runs.")), 403)
    values, data = submitted(request, ("matter", "text"))
    values = validate(request, ObjectionSchema(), values)
    try:
        objection = service.file(context, request.identity.uid, values["matter"], values["text"], data, clock.now())
    except service.Refused as refused:
        return refuse(request, context, refused, 409 if refused.code == "period" else 400)
    request.audit("objection.file", context, number=objection.number, matter=objection.matter or "-")
    if request.wants_json:
        request.response.status_int = 201
        return render_to_response("json", objection_json(request, context, objection), request=request,
                                  response=request.response)
    request.session.flash(request.localizer.translate(_("Your objection is filed as #${number}.",
                                                        mapping={"number": objection.number})))
    return HTTPFound(request.resource_url(context, "@objections"))


def answer(ballot, request, number):
    values, _data = submitted(request, ("text", "decision", "correction"))
    values = validate(request, AnswerSchema(), values)
    deciding = values["decision"] is not None
    if not request.has_permission("decide_objection" if deciding else "answer_objection", ballot):
        message = (_("Only the street office decides whether an objection is upheld.") if deciding
                   else _("Only the organizer or the street office answers objections."))
        return refuse(request, ballot, service.Refused("forbidden", message), 403)
    role = "street" if request.has_permission("decide_objection", ballot) else "organizer"
    try:
        objection = service.answer(ballot, number, values["text"], role, clock.now(), values["decision"],
                                   values["correction"])
    except service.Refused as refused:
        return refuse(request, ballot, refused, 404 if refused.code == "unknown" else 409)
    request.audit("objection.decide" if deciding else "objection.answer", ballot, number=number,
                  decision=values["decision"] or "-")
    if request.wants_json:
        return render_to_response("json", objection_json(request, ballot, objection), request=request)
    return HTTPFound(request.resource_url(ballot, "@objections"))
