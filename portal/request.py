"""Request helpers every view uses: the portal root, JSON or page, and auditing."""
from pyramid.traversal import resource_path
from pyramid_zodbconn import get_connection

from portal import clock
from portal.bootstrap import ROOT_KEY

JSON = "application/json"
HTML = "text/html"


def portal_root(request):
    return get_connection(request).root()[ROOT_KEY]


def _explicit_quality(request, media_type):
    """The q the Accept header gives ``media_type`` by name (not by wildcard), or None."""
    for media_range, quality, _params, _ext in getattr(request.accept, "parsed", None) or ():
        if media_range.lower() == media_type:
            return quality
    return None


def wants_json(request):
    """JSON when the client names it in Accept (over HTML), or sends JSON and names no HTML."""
    json_q = _explicit_quality(request, JSON)
    html_q = _explicit_quality(request, HTML)
    if json_q:
        return html_q is None or json_q > html_q
    return request.content_type == JSON and html_q is None


def json_body(request):
    """The request's JSON object, or None when it is missing or not an object."""
    try:
        body = request.json_body
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def audit(request, action, context, actor=None, **detail):
    """Append to the audit log: the acting account's uid (``actor``, else the signed-in
    account), never a name or login."""
    if actor is None:
        actor = request.identity.uid if request.identity is not None else ""
    path = context if isinstance(context, str) else resource_path(context)
    return request.portal.audit_log.append(clock.now(), actor, action, path or "/", detail)


def includeme(config):
    config.add_request_method(portal_root, "portal", reify=True)
    config.add_request_method(wants_json, "wants_json", reify=True)
    config.add_request_method(audit, "audit")
    config.add_view_predicate("json", JsonPredicate)


class JsonPredicate:
    """View predicate ``json=True`` / ``json=False``: is this an API request?"""

    def __init__(self, value, config):
        self.value = bool(value)

    def text(self):
        return f"json = {self.value}"

    phash = text

    def __call__(self, context, request):
        return request.wants_json == self.value
