"""Security headers on every response, and no caching of what is personal.

- Content-Security-Policy: scripts, styles, images and fonts from this site only, no framing, no
  plugins, forms post here (and to the face provider's hand-over).  Pages that carry deform's
  inline widget callbacks (the sequence and date widgets of the ballot and workflow editors) get
  'unsafe-inline' for scripts and styles on that page alone.
- X-Content-Type-Options, X-Frame-Options (for browsers without frame-ancestors), Referrer-Policy.
- Cache-Control: no-store on every page and JSON answer that a view did not give a cache policy
  of its own (static files keep theirs): register, units, /@my, sharing, audit and receipts are
  personal, and a shared cache must never keep any page of a signed-in person.
"""
import functools
from urllib.parse import urlparse

from pyramid.events import NewResponse, subscriber

DEFORM_INLINE = b"deform.addCallback("


@functools.lru_cache(maxsize=16)
def policy(form_targets=(), inline=False):
    scripts = "'self' 'unsafe-inline'" if inline else "'self'"
    styles = "'self' 'unsafe-inline'" if inline else "'self'"
    return "; ".join((
        "default-src 'self'", f"script-src {scripts}", f"style-src {styles}", "img-src 'self' data:",
        "font-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'",
        "form-action " + " ".join(("'self'",) + tuple(form_targets)),
    ))


def provider_origin(registry):
    provider = getattr(registry, "face_provider", None)
    return origin_of(getattr(provider, "url", "") or "")


@functools.lru_cache(maxsize=16)
def origin_of(address):
    url = urlparse(address)
    return (f"{url.scheme}://{url.netloc}",) if url.scheme in ("http", "https") and url.netloc else ()


@subscriber(NewResponse)
def add_security_headers(event):
    request, response = event.request, event.response
    headers = response.headers
    html = (response.content_type or "").startswith("text/html")
    inline = html and DEFORM_INLINE in (response.body or b"")
    headers.setdefault("Content-Security-Policy", policy(provider_origin(request.registry), inline))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if "Cache-Control" not in headers and not request.path_info.startswith(("/static/", "/static-deform/")):
        headers["Cache-Control"] = "no-store"
