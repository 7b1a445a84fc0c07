"""``<ballot>/@filing.pdf`` and ``<ballot>/@filing.zip``: the filing package, after the final
disclosure, for the organizer and the offices it files with."""
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock, pdf, uploads
from portal.ballots.models import Ballot
from portal.ballots.rules import window_text
from portal.filing import archive, contents
from portal.paper.count import names


def values(request, ballot):
    found = contents.gathered(ballot, clock.now())
    found["window"] = window_text(ballot.start_date, ballot.end_date)
    found["audit"] = contents.audit_entries(request.portal, ballot)
    found["delivery"] = contents.delivery(request.portal, ballot)
    found["count_names"] = names(ballot, request.registry.personal_data)     # for the count record only
    return found


def name(ballot, suffix):
    return f"备案材料-{ballot.community.title}-{ballot.title}.{suffix}"


@view_config(context=Ballot, name="@filing.pdf", permission="view_filing")
def filing_pdf(context, request):
    body = pdf.render("portal.templates:pdf/filing.pt", values(request, context), request)
    return Response(body, content_type="application/pdf",
                    content_disposition=uploads.disposition(name(context, "pdf"), inline=False))


@view_config(context=Ballot, name="@filing.zip", permission="view_filing")
def filing_zip(context, request):
    from portal.ballots.api import ballot_json

    body = archive.build(values(request, context), ballot_json(request, context), request.localizer.translate)
    return Response(body, content_type="application/zip",
                    content_disposition=uploads.disposition(name(context, "zip"), inline=False))
