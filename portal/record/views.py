"""``<ballot>/@record`` (page and JSON) and ``@record.csv``: the vote record, after the final
disclosure, for the owners of the community and staff; the page finds an owner's own line from
the receipt code and recomputes every figure in the browser."""
import json

from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.view import view_config

from portal.ballots.models import Ballot
from portal.i18n import _
from portal.record import rules
from portal.register.table import write_csv
from portal.voting import service
from portal.voting.service import box_of


def the_record(ballot):
    return rules.record(ballot.matters, box_of(ballot), ballot.election_ranking)


@view_config(context=Ballot, name="@record", json=True, request_method="GET", permission="view_record")
def record_json(context, request):
    return render_to_response("json", the_record(context), request=request)


@view_config(context=Ballot, name="@record", json=False, request_method="GET", permission="view_record")
def record_page(context, request):
    data = the_record(context)
    return render_to_response("portal.templates:record.pt", {
        "title": _("Vote record"), "ballot": context, "record": data,
        "record_json": script_json(data), "published_json": script_json(service.results(context)["matters"]),
        "marks_text": marks_text, "channel_words": CHANNEL_WORDS}, request=request)


CHANNEL_WORDS = {"electronic": _("electronic"), "paper": _("on paper"), "proxy": _("by proxy")}


def script_json(data):
    """JSON to embed in a <script type="application/json"> element (no "</" can close it early)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def marks_text(marks):
    """"m1: agree; m2: c1=agree c2=oppose" for the record's table."""
    return "; ".join(f"{mid}: " + (" ".join(f"{k}={v}" for k, v in sorted(mark.items()))
                                   if isinstance(mark, dict) else str(mark)) for mid, mark in sorted(marks.items()))


@view_config(context=Ballot, name="@record.csv", request_method="GET", permission="view_record")
def record_csv(context, request):
    data = the_record(context)
    ids = [m["id"] for m in data["matters"]]
    rows = [[v["vote_id"], v["area"], v["channel"]] + [json.dumps(v["marks"].get(i), ensure_ascii=False)
                                                        if isinstance(v["marks"].get(i), dict) else v["marks"].get(i, "")
                                                        for i in ids] for v in data["votes"]]
    body = write_csv(["vote_id", "area_m2", "channel"] + ids, rows)
    return Response(body, content_type="text/csv", charset="utf-8",
                    content_disposition=f'attachment; filename="record-{context.__name__}.csv"')
