"""Downloading a ballot's attachments (whoever may see the ballot may read them)."""
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from portal import uploads
from portal.ballots.models import Ballot
from portal.request import index_in


@view_config(context=Ballot, name="@attachment", permission="view")
def attachment(context, request):
    index = index_in(request.params.get("n", ""), len(context.attachments))
    if index is None:
        raise HTTPNotFound()
    found = context.attachments[index]
    return Response(uploads.read(found["blob"]), content_type=found["content_type"],
                    content_disposition=uploads.disposition(found["filename"]))
