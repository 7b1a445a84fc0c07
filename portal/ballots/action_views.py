"""Firing a ballot's transitions, and the extension of a voting window (page and JSON).

``POST <ballot>/@workflow/<transition>`` with an optional comment.  The engine checks that the
transition leaves the current state, that the user holds its permission here, and its guards;
a refusal says which, in the user's language, and changes nothing.  ``GET`` of the same address
is the confirmation page of a step that cannot be undone (``viewmodel.irreversible``): it says
what will happen and posts to the one action above.
"""
from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, validate
from portal.confirm import confirm_page
from portal.ballots import lifecycle, services, viewmodel
from portal.ballots.models import Ballot
from portal.ballots.schemas import ExtensionSchema, TransitionSchema
from portal.events import ObjectModified, notify
from portal.i18n import _
from portal.request import json_body
from portal.workflow import engine
from portal.workflow.engine import TransitionRefused, Workflowed

REFUSALS = {
    "unknown": _("There is no such step in this ballot's workflow."),
    "not_now": _("This step is not possible in the ballot's present state."),
    "forbidden": _("You may not take this step."),
}


def status_of(refused):
    return 403 if refused.code == "forbidden" else (404 if refused.code == "unknown" else 409)


def payload(request):
    if request.wants_json or request.content_type == "application/json":
        return json_body(request) or {}
    return dict(request.POST)


def respond(request, ballot, message=None, status=200, data=None):
    if request.wants_json:
        if status >= 400:
            raise json_error(request, status, "refused", message)
        return render_to_response("json", data or {}, request=request)
    if message is not None:
        request.session.flash(request.localizer.translate(message))
    return HTTPFound(request.resource_url(ballot))


@view_config(context=Workflowed, name="@workflow", request_method="POST", permission="view")
def fire_transition(context, request):
    """Ballots and filed documents alike; a ballot's phases have effects (``lifecycle``)."""
    transition_id = request.subpath[0] if request.subpath else ""
    values = validate(request, TransitionSchema(), {"comment": payload(request).get("comment", "")})
    can = lambda permission: request.has_permission(permission, context)   # noqa: E731
    who = request.identity.uid if request.identity else ""
    try:
        if isinstance(context, Ballot):
            entry = lifecycle.fire(context, transition_id, who, clock.now(), values["comment"], can)
        else:
            entry = engine.fire(context.definition(), context, transition_id, who, clock.now(),
                                values["comment"], lifecycle.GUARDS, can)
    except TransitionRefused as refused:
        message = refused.message or REFUSALS[refused.code]
        if refused.code == "guard" and isinstance(context, Ballot) and not request.wants_json \
                and "confirmed" in request.POST and viewmodel.irreversible(context.definition(), transition_id):
            request.session.flash(request.localizer.translate(message))   # asked again, the reason kept
            response = confirmation(context, request, transition_id, values["comment"])
            response.status_int = status_of(refused)
            return response
        return respond(request, context, message, status=status_of(refused))
    request.audit(f"{context.type_name.lower()}.transition", context, transition=transition_id, to=entry["to"])
    return respond(request, context, data={"review_state": context.state, "transition": transition_id})


@view_config(context=Ballot, name="@workflow", request_method="GET", json=False, permission="view")
def confirm_transition(context, request):
    """The confirmation page of a step; one the viewer may not take now says why instead."""
    transition_id = request.subpath[0] if request.subpath else ""
    definition = context.definition()
    can = lambda permission: request.has_permission(permission, context)   # noqa: E731
    reason_later = dict(lifecycle.GUARDS, comment_required=lambda ballot, now, comment: None)
    try:
        engine.check(definition, context, transition_id, clock.now(), "", reason_later, can)
    except TransitionRefused as refused:
        return respond(request, context, refused.message or REFUSALS[refused.code], status=status_of(refused))
    if not viewmodel.irreversible(definition, transition_id):
        return HTTPFound(request.resource_url(context))     # its button on the ballot page acts at once
    return confirmation(context, request, transition_id, "")


def confirmation(ballot, request, transition_id, comment):
    definition = ballot.definition()
    transition = definition["transitions"][transition_id]
    title = viewmodel.title_of(transition["title"], transition_id, request.locale_name == "zh_Hans")
    fields = [{"name": "comment", "label": _("Reason (required)"), "required": True, "value": comment}] \
        if "comment_required" in transition.get("guards", ()) else []
    return confirm_page(request, _("Confirm: ${step}", mapping={"step": title}),
                        viewmodel.consequences(definition, transition_id, ballot),
                        request.resource_url(ballot, "@workflow", transition_id),
                        _("Yes: ${step}", mapping={"step": title}), request.resource_url(ballot), fields,
                        danger=viewmodel.phase_of(definition, transition["to"]) == "ended")


@view_config(context=Ballot, name="@extension", request_method="POST", permission="request_extension")
def request_extension(context, request):
    values = validate(request, ExtensionSchema(), {"end_date": payload(request).get("end_date", "")}) \
        if request.wants_json else _page_values(request)
    if values is None:
        return respond(request, context, _("Give the new last day of voting."))
    problem = services.request_extension(context, values["end_date"], request.identity.uid, clock.now())
    if problem is not None:
        return respond(request, context, problem, status=409)
    request.audit("ballot.extension_request", context, end_date=values["end_date"].isoformat())
    return respond(request, context, _("The extension was requested; the street office decides."),
                   data={"requested": values["end_date"].isoformat()})


def _page_values(request):
    import colander

    try:
        return ExtensionSchema().deserialize({"end_date": request.POST.get("end_date", "")})
    except colander.Invalid:
        return None


@view_config(context=Ballot, name="@extension-approve", request_method="POST", permission="approve_extension")
def approve_extension(context, request):
    if not context.extension or context.extension.get("approved_at"):
        return respond(request, context, _("There is no extension waiting for approval."), status=409)
    problem = services.approve_extension(context, request.identity.uid, clock.now())
    if problem is not None:
        return respond(request, context, problem, status=409)
    notify(ObjectModified(context, names=("end_date", "extension"), when=clock.now()))   # published: owners are told
    request.audit("ballot.extension_approve", context, end_date=context.end_date.isoformat())
    return respond(request, context, _("The extension is approved and published."),
                   data={"end_date": context.end_date.isoformat()})
