"""JSON errors with a message in the caller's language, and input validation for the API.

Every API error has the shape ``{"error": <code>, "message": <text>, "errors": {field: text}}``.
Raising one aborts the transaction, so a refused request changes nothing.
"""
import colander
from pyramid.httpexceptions import exception_response

from portal.i18n import _
from portal.request import json_body


def json_error(request, status, code, message, errors=None, mapping=None):
    """An HTTP exception (raise it) carrying the JSON error body."""
    translate = request.localizer.translate
    exc = exception_response(status)
    exc.content_type = "application/json"
    exc.charset = "utf-8"
    body = {"error": code, "message": translate(message, mapping=mapping)}
    if errors:
        body["errors"] = {k: translate(v) for k, v in errors.items()}
    exc.json_body = body
    return exc


def invalid_errors(request, invalid):
    """colander's errors as {field: message}, translated (colander ships zh_Hans)."""
    translate = request.localizer.translate
    return {key or "_": msg for key, msg in invalid.asdict(translate=translate).items()}


def require_body(request):
    body = json_body(request)
    if body is None:
        raise json_error(request, 400, "bad_request", _("Send a JSON object as the request body."))
    return body


def validate(request, schema, data):
    """``data`` checked by ``schema`` (already bound); a 400 naming every bad field otherwise."""
    try:
        return schema.deserialize(data)
    except colander.Invalid as invalid:
        raise json_error(
            request, 400, "invalid", _("Some fields are not valid."), invalid_errors(request, invalid)
        )


def refused(request, ballot, status, message, title):
    """A refusal about a ballot, in words: JSON for the API, else a page linking back to the ballot."""
    from pyramid.renderers import render_to_response

    if request.wants_json:
        raise json_error(request, status, "refused", message)
    response = render_to_response("portal.templates:message.pt", {
        "title": title, "message": message, "link": request.resource_url(ballot),
        "link_title": _("Back to the ballot")}, request=request)
    response.status_int = status
    return response
