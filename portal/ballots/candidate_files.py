"""A candidate's photo or résumé (one file each, PDF, PNG or JPEG, at most 5 MB): attached by the
organizer while the ballot is a draft, shown with the candidate on the ballot page and the notice.
``POST <ballot>/@candidate-file`` (multipart: matter, candidate, file) and
``GET <ballot>/@candidate-file?matter=&candidate=``."""
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock, uploads
from portal.api.errors import json_error
from portal.ballots import candidates
from portal.ballots.models import Ballot
from portal.i18n import _

NO_SUCH = _("This ballot has no such candidate.")


def key_of(request, source):
    matter, candidate = source.get("matter", ""), source.get("candidate", "")
    known = {(m["id"], c["id"]) for m, c in candidates.candidates(request.context)}
    return f"{matter}:{candidate}" if (matter, candidate) in known else None


@view_config(context=Ballot, name="@candidate-file", request_method="POST", permission="edit")
def attach(context, request):
    key = key_of(request, request.POST)
    upload = request.POST.get("file")
    data = upload.file.read() if hasattr(upload, "file") else b""
    problem = NO_SUCH if key is None else uploads.problem(data, missing=uploads.MISSING_FILE)
    if problem is None and context.electorate is not None:
        problem = _("The notice is published: the matters can no longer change.")
    if problem is not None:
        if request.wants_json:
            raise json_error(request, 400, "invalid", problem)
        request.session.flash(request.localizer.translate(problem))
        return HTTPFound(request.resource_url(context) + "#matters")
    filename = getattr(upload, "filename", "") or "file"
    context.candidate_files = dict(context.candidate_files, **{key: uploads.stored_file(filename, data, clock.now())})
    request.audit("ballot.candidate_file", context, candidate=key)
    if request.wants_json:
        request.response.status_int = 201
        from pyramid.renderers import render_to_response

        return render_to_response("json", {"candidate": key, "filename": filename}, request=request,
                                  response=request.response)
    return HTTPFound(request.resource_url(context) + "#matters")


@view_config(context=Ballot, name="@candidate-file", request_method="GET", permission="view")
def download(context, request):
    key = key_of(request, request.params)
    stored = context.candidate_files.get(key) if key else None
    if stored is None:
        raise HTTPNotFound()
    return Response(uploads.read(stored["blob"]), content_type=stored["content_type"],
                    content_disposition=uploads.disposition(stored["filename"], inline=True))
