"""What printed letters and notices need: the portal's public address (from settings, not the
address the server happened to be reached at), a QR code of a page (segno), and the issuing
office of a community, in words."""
from pyramid.traversal import resource_path

from portal.ballots.rules import day_text


def public_url(request, resource, *elements):
    """The page's address as owners reach it: ``portal.public_url`` + its path (else the request's)."""
    base = (request.registry.settings.get("portal.public_url") or "").rstrip("/")
    if not base:
        return request.resource_url(resource, *elements)
    path = resource_path(resource).rstrip("/")
    return base + path + ("/" + "/".join(elements) if elements else "/")


def qr_svg(url, scale=3):
    """An inline SVG QR code of ``url`` (error correction M, so a crumpled letter still scans)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, title=url)


def issuer(community):
    """(the street office's title, its address, its phone) for the letterhead."""
    street = community.__parent__
    return street.title, street.office_address, street.office_phone


def today_text(now, chinese=True):
    from portal.clock import local

    return day_text(local(now).date(), chinese)
