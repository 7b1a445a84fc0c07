"""``/@clock``: with ``portal.clock_override = true``, a city administrator sets the portal's
"now" for demos and training (kept in the database, so every process runs on it)."""
import datetime

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from portal import clock, schematypes
from portal.api.errors import json_error, require_body
from portal.content.models import Portal
from portal.i18n import _
from portal.settings import flag


@view_config(context=Portal, name="@clock", request_method="POST", permission="manage_portal", renderer="json")
def set_clock(context, request):
    if not flag(request.registry.settings, "clock_override"):
        raise HTTPNotFound()
    body = require_body(request)
    if body.get("now") is None:                     # {"now": null}: back to real time
        context.clock_offset = None
        clock.set_offset(None)
        request.audit("portal.clock", context, now=None)
        return {"now": clock.now().isoformat()}
    try:
        wanted = datetime.datetime.fromisoformat(body["now"]) if isinstance(body["now"], str) else None
    except ValueError:
        wanted = None
    if wanted is not None and wanted.tzinfo is None:
        wanted = wanted.replace(tzinfo=clock.SHANGHAI)
    if wanted is None or not schematypes.FIRST_DATE <= wanted.date() <= schematypes.LAST_DATE:
        raise json_error(request, 400, "invalid", _("Give now as an ISO 8601 date and time with its offset, "
                                                    "or null for real time."))
    real = datetime.datetime.now(clock.UTC)
    context.clock_offset = (wanted - real).total_seconds()
    clock.set_offset(datetime.timedelta(seconds=context.clock_offset))
    request.audit("portal.clock", context, now=wanted.isoformat())
    return {"now": clock.now().isoformat()}
