"""What a refused, missing or expired request gets: a friendly page, or a JSON error."""
import colander
from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPMethodNotAllowed
from pyramid.renderers import render_to_response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from transaction.interfaces import TransientError

from portal.api.errors import invalid_errors, json_error
from portal.i18n import _
from portal.request import NOT_UTF8, BadInput
from portal.security.policy import bearer_token
from portal.security.views import login_form_html


def page(request, status, title, message, show_login=False, detail=None):
    login_form = login_form_html(request, request.path_qs) if show_login else None
    response = render_to_response(
        "portal.templates:error.pt",
        {"title": title, "message": message, "login_form": login_form, "detail": detail},
        request=request,
    )
    response.status_int = status
    return response


@forbidden_view_config()
def forbidden(exc, request):
    if exc.content_type == "application/json":   # already a specific JSON refusal
        return exc
    anonymous = request.identity is None
    if request.wants_json or bearer_token(request):
        if bearer_token(request) and anonymous:
            return json_error(request, 401, "unauthorized",
                              _("Your sign-in has expired or is not valid; sign in again."))
        if anonymous:
            return json_error(request, 401, "unauthorized", _("Sign in first."))
        return json_error(request, 403, "forbidden", _("You are not allowed to do this here."))
    if anonymous:
        return page(request, 403, _("Please sign in"), _("Sign in to see this page."), show_login=True)
    title, detail = why_forbidden(request)
    return page(request, 403, title, _("You are not allowed to do this here."), detail=detail)


EXPLAINERS = "portal.refusal_explainers"


def add_refusal_explainer(config, explain):
    """``explain(request)`` -> (title, reason) of a 403 in words, or None: a concern that knows why its
    view refuses (a ballot not open for voting) says so on the refusal page."""
    config.registry.setdefault(EXPLAINERS, []).append(explain)


def why_forbidden(request):
    """(title, reason) of a refusal: where, and what kind of account may do it (never a bare "not allowed")."""
    for explain in request.registry.get(EXPLAINERS, ()):
        found = explain(request)
        if found is not None:
            return found
    place = request.localizer.translate(getattr(getattr(request, "context", None), "title", "") or request.root.title)
    if getattr(request.identity, "kind", None) == "owner":
        return _("Not allowed"), _("Your owner's account may not do this at ${place}: owners read, vote and see results only in a "
                 "community their account is bound to, and only while the ballot's stage allows it.",
                 mapping={"place": place})
    return _("Not allowed"), _("Your account has no role at ${place} that allows this. Roles are given by the office above; "
             "ask them if you need one.", mapping={"place": place})


@notfound_view_config()
def not_found(exc, request):
    if exc.content_type == "application/json":
        return exc
    return refusal(request, 404, "not_found", _("Not found"), _("There is nothing at this address."))


def refusal(request, status, code, title, message, mapping=None, errors=None):
    """The same refusal as JSON for the API, as a page for a browser."""
    if request.wants_json:
        return json_error(request, status, code, message, errors=errors, mapping=mapping)
    if mapping:
        message = request.localizer.translate(message, mapping=mapping)
    return page(request, status, title, message)


def readable(request):
    """Drop a path or query string that is not UTF-8, so the error page itself can be drawn."""
    for key in ("PATH_INFO", "QUERY_STRING"):
        try:
            request.environ.get(key, "").encode("latin-1").decode("utf-8")
        except UnicodeError:
            request.environ[key] = "/" if key == "PATH_INFO" else ""
    if not hasattr(request, "root"):         # traversal stopped at the path it could not decode
        request.root = request.context = request.portal


@exception_view_config(BadInput)
def bad_input(exc, request):
    """Input that cannot be read (not UTF-8, too deep, too large, numbers out of range)."""
    readable(request)
    return refusal(request, exc.status, exc.code, _("The request cannot be read"), exc.message,
                   mapping=exc.mapping)


@exception_view_config(UnicodeDecodeError)
def undecodable(exc, request):
    """Bytes that are not UTF-8 wherever webob decodes them lazily (paths, cookies, fields)."""
    readable(request)
    return refusal(request, 400, "bad_request", _("The request cannot be read"), NOT_UTF8)


@exception_view_config(colander.Invalid)
def invalid(exc, request):
    """A schema's refusal that a view did not turn into its own answer."""
    errors = invalid_errors(request, exc)
    message = _("Some fields are not valid.")
    if request.wants_json:
        return json_error(request, 400, "invalid", message, errors)
    return page(request, 400, _("Not valid"), " ".join(errors.values()) or message)


@exception_view_config(BadCSRFToken)
def bad_csrf(exc, request):
    return refusal(request, 400, "csrf", _("Form expired"),
                   _("This form has expired. Go back, reload the page and send it again."))


@exception_view_config(HTTPMethodNotAllowed)
def not_allowed(exc, request):
    return refusal(request, 405, "method_not_allowed", _("Not allowed"),
                   _("This address does not accept this kind of request."))


BUSY_SECONDS = 5
BUSY_API = _("Many changes were being saved at this moment and yours could not be saved, so nothing was "
             "changed. Send it again in a few seconds.")
BUSY_PAGE = _("Many changes were being saved at this moment and yours could not be saved, so nothing was "
              "changed. Go back (the form still holds what you entered) and send it again in a few seconds.")


@exception_view_config(TransientError, last_retry_attempt=True)
def busy(exc, request):
    """A write that still met others' commits (a ConflictError) on its last attempt: nothing was
    saved.  Answered 503 with Retry-After (the request can simply be sent again), never a bare 500;
    earlier attempts are not answered here, pyramid_retry runs them again."""
    response = refusal(request, 503, "busy", _("Busy, try again"), BUSY_API if request.wants_json else BUSY_PAGE)
    response.headers["Retry-After"] = str(BUSY_SECONDS)
    return response
