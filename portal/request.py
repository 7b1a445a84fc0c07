"""Request helpers every view uses: the portal root, JSON or page, reading the request's input
(the one JSON body decoder, query and form decoding, indexes), and auditing.

The request's added methods and properties (ours and pyramid_tm's ``request.tm``) are put on one
request class once, at start-up (``bake_request_extensions``).  Pyramid would otherwise make a new
subclass of the request for every request to carry them.

Input that cannot be read at all (not UTF-8, nested too deeply, too large, numbers out of range)
raises ``BadInput``; ``portal.errors`` answers it with a 4xx in the caller's language.
"""
import json
import math

from pyramid.events import ContextFound
from pyramid.interfaces import IRequestExtensions, IRequestFactory
from pyramid.request import Request
from pyramid.traversal import resource_path
from pyramid_zodbconn import get_connection

from portal import clock
from portal.bootstrap import ROOT_KEY
from portal.i18n import _

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
    if request.headers.get("Accept") == JSON:       # what the API's clients send: nothing to weigh
        return True
    json_q = _explicit_quality(request, JSON)
    html_q = _explicit_quality(request, HTML)
    if json_q:
        return html_q is None or json_q > html_q
    return request.content_type == JSON and html_q is None


MAX_JSON_BYTES = 1024 * 1024      # an API body; files go as multipart or CSV/XLSX bodies
MAX_JSON_DEPTH = 20
MAX_JSON_INTEGER = 10 ** 15       # beyond any count, area or index the portal knows
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TOO_LARGE = _("The request body is larger than ${limit} KB.")
TOO_DEEP = _("The JSON is nested more than ${depth} levels deep.")
OUT_OF_RANGE = _("The JSON contains a number that is out of range.")
UNREADABLE_FORM = _("The form data cannot be read; send it again from the form.")
NOT_UTF8 = _("The address or the form contains bytes that are not UTF-8 text.")


class BadInput(Exception):
    """Input that cannot be read at all; answered with ``status`` and the translated ``message``."""

    def __init__(self, message, status=400, code="bad_request", mapping=None):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.code = code
        self.mapping = mapping


def _json_integer(text):
    value = int(text) if len(text) <= 20 else None
    if value is None or abs(value) >= MAX_JSON_INTEGER:
        raise BadInput(OUT_OF_RANGE)
    return value


def _json_float(text):
    value = float(text)
    if not math.isfinite(value) or abs(value) >= MAX_JSON_INTEGER:
        raise BadInput(OUT_OF_RANGE)
    return value


def _json_constant(name):
    raise BadInput(OUT_OF_RANGE)          # NaN, Infinity, -Infinity are not JSON


def depth(value):
    """How deeply ``value`` (decoded JSON) nests: 0 for a scalar, 1 for a flat list or object."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
        else:
            deepest = max(deepest, level)
            continue
        deepest = max(deepest, level + 1)
    return deepest


def decode_json(raw):
    """Bytes as JSON (None when they are not JSON text); BadInput when too deep or out of range."""
    try:
        text = raw.decode("utf-8-sig")
        value = json.loads(text, parse_int=_json_integer, parse_float=_json_float, parse_constant=_json_constant)
    except RecursionError:
        raise BadInput(TOO_DEEP, mapping={"depth": MAX_JSON_DEPTH}) from None
    except ValueError:                    # not JSON, or not UTF-8 (UnicodeDecodeError)
        return None
    if depth(value) > MAX_JSON_DEPTH:
        raise BadInput(TOO_DEEP, mapping={"depth": MAX_JSON_DEPTH})
    return value


def limited_body(request, limit=MAX_JSON_BYTES):
    """The request body, refused with 413 when larger than ``limit`` (before it is read, if the
    client said its length)."""
    if (request.content_length or 0) > limit:
        raise BadInput(TOO_LARGE, status=413, code="too_large", mapping={"limit": limit // 1024})
    raw = request.body_file.read(limit + 1) if request.content_length is None else request.body
    if len(raw) > limit:
        raise BadInput(TOO_LARGE, status=413, code="too_large", mapping={"limit": limit // 1024})
    return raw


def json_body(request):
    """The request's JSON object, or None when it is missing or not an object; the one place a
    request body is read as JSON (size and depth limited, numbers finite and in range)."""
    cache = request.environ.setdefault("portal.json_body", {})
    if "body" not in cache:
        cache["body"] = decode_json(limited_body(request))
    body = cache["body"]
    return body if isinstance(body, dict) else None


def index_in(value, length):
    """``value`` (an int, or decimal digits as text) as an index into ``length`` items, or None
    when it is not one: never negative, never a bool, a float or out of range."""
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < length else None


def check_decodable(event):
    """Decode the path, the query string and a form body up front, so that bytes that are not
    UTF-8 are refused once, here, with a 400 (webob decodes lazily, wherever a view reads)."""
    request = event.request
    try:
        request.path_info
        list(request.GET.items())
        if request.method == "POST" and request.content_type in FORM_TYPES:
            # webob replaces undecodable form bytes by U+FFFD rather than failing
            if any(isinstance(v, str) and "\ufffd" in v for v in request.POST.values()):
                raise BadInput(NOT_UTF8)
    except UnicodeDecodeError:
        raise BadInput(NOT_UTF8) from None
    except ValueError:                    # a multipart body without a valid boundary
        raise BadInput(UNREADABLE_FORM) from None


def audit(request, action, context, actor=None, **detail):
    """Append to the audit log: the acting account's uid (``actor``, else the signed-in
    account), never a name or login."""
    if actor is None:
        actor = request.identity.uid if request.identity is not None else ""
    path = context if isinstance(context, str) else resource_path(context)
    return request.portal.audit_log.append(clock.now(), actor, action, path or "/", detail)


def bake_request_extensions(registry):
    """Move the request methods and properties added by ``config.add_request_method`` (ours and
    those of the packages included) onto one subclass of the request factory, made once.

    Pyramid applies them to each request by making a new class for it: about 50 microseconds a
    request, a third of what the vote path adds to a bare Pyramid + ZODB app, and a class for
    the garbage collector to find each time.  The subclass behaves the same (the same names, the
    same reified values per request object, pyramid_retry's new request per attempt included);
    the extensions utility is removed so the router has nothing left to apply.  A request made
    outside the router (a subrequest, a script's) carries them when it is made by the registry's
    ``IRequestFactory``, as ``pyramid.scripting.prepare`` makes its own."""
    extensions = registry.queryUtility(IRequestExtensions)
    if extensions is None:
        return
    base = registry.queryUtility(IRequestFactory, default=Request)
    members = dict(extensions.methods)
    members.update(extensions.descriptors)
    baked = type(base.__name__, (base,), dict(members, __module__=base.__module__,
                                              __doc__=base.__doc__))
    registry.registerUtility(baked, IRequestFactory)
    registry.unregisterUtility(provided=IRequestExtensions)


AFTER_EVERY_EXTENSION = 1000      # an action order later than any add_request_method's


def includeme(config):
    config.add_request_method(portal_root, "portal", reify=True)
    config.add_request_method(wants_json, "wants_json", reify=True)
    config.add_request_method(audit, "audit")
    config.add_view_predicate("json", JsonPredicate)
    config.add_subscriber(check_decodable, ContextFound)
    config.action(None, lambda: bake_request_extensions(config.registry), order=AFTER_EVERY_EXTENSION)


class JsonPredicate:
    """View predicate ``json=True`` / ``json=False``: is this an API request?"""

    def __init__(self, value, config):
        self.value = bool(value)

    def text(self):
        return f"json = {self.value}"

    phash = text

    def __call__(self, context, request):
        return request.wants_json == self.value
