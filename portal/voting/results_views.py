"""Progress on the ballot page, and the results: page with bars, CSV, XLSX and a PDF report."""
from pyramid.response import Response
from pyramid.view import view_config

from portal.ballots import rules
from portal.ballots.models import Ballot
from portal.events import notify
from portal import clock
from portal.i18n import _
from portal.voting import owner_view, report, results_words, service, verdicts
from portal.voting.events import ResultsShown
from portal.voting.schemas import CHOICE_WORDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def percent(part, whole):
    """A ratio for display only (the verdicts are decided in integers by the tally)."""
    return round(100.0 * part / whole, 2) if whole else 0.0


def bars(result):
    """Widths (percent) for the pictures: participation of the totals, choices of the participants."""
    def area(text):
        return int(text.replace(".", ""))

    ta, pa, po = area(result["total_area"]), area(result["participating_area"]), result["participating_owners"]
    figures = {"participation": [("owners", percent(po, result["total_owners"])), ("area", percent(pa, ta))]}
    kind = result.get("kind", "question")
    if kind == "election":       # each candidate: agreeing owners and area, as shares of the participants
        figures["candidates"] = [(c, percent(c["agree_owners"], po), percent(area(c["agree_area"]), pa))
                                 for c in result["candidates"]]
    elif kind == "choice":
        figures["options"] = [(o, percent(o["owners"], po), percent(area(o["area"]), pa)) for o in result["options"]]
    else:
        figures["choices"] = [(choice, percent(result[f"{choice}_owners"], po), percent(area(result[f"{choice}_area"]), pa))
                              for choice in ("agree", "oppose", "abstain")]
    return figures


def stage(request, ballot):
    """Which results these are, in words: final, preliminary (until when objections may be filed), or a
    count not yet published (staff only see it then)."""
    if ballot.phase() == "disclosed":
        return _("Final results")
    if ballot.phase() == "counting" and "publish_preliminary" not in [h.get("transition") for h in ballot.history]:
        return _("The count, not yet published (only staff see it)")
    today = rules.local_date(clock.now())
    return _("Preliminary results: objections may be filed until ${end}", mapping={
        "end": owner_view.day_end_text(owner_view.objection_last_day(ballot), today,
                                       request.locale_name == "zh_Hans")})


def row(matter, result):
    """(matter, result, bar widths, words) of one matter for the results page."""
    return matter, result, bars(result), results_words.matter_words(result)


@view_config(context=Ballot, name="@results", json=False, permission="view_results",
             renderer="portal.templates:results.pt")
def results_page(context, request):
    data = service.results(context)
    matters = {m["id"]: m for m in context.matters}
    rows = [row(matters[r["id"]], r) for r in data["matters"]]
    adjusted = [row(matters[r["id"]], r) for r in data["follow_majority"]] if data["follow_majority"] else []
    groups = [(False, rows)] + ([(True, adjusted)] if adjusted else [])
    channel = {name: (owners, results_words.area_text(area))
               for name, (owners, area) in service.box_of(context).channels().items()}
    values = {"groups": groups, "channels": channel, "flagged": [], "rule_words": rules.RULE_WORDS,
              "categories": rules.CATEGORIES, "choice_words": CHOICE_WORDS, "verdict": verdicts.verdict, "carried": verdicts.carried,
              "matter_words": rules.matter_words, "stage": stage(request, context),
              # which paper ballot of which unit was set aside, and why, tells how that unit voted:
              # the ballot's staff see it (those who handle paper, or follow its delivery), owners how many
              "paper_detail": any(request.has_permission(p, context)
                                  for p in ("review_paper", "enter_paper", "view_delivery"))}
    notify(ResultsShown(context, values))       # the paper ballots add those not counted
    return values


def download(context, request, kind):
    header, lines = report.rows(context, service.results(context), request.localizer.translate)
    name = f"results-{context.community.__name__}-{context.__name__}.{kind}"
    if kind == "csv":
        from portal.register.table import write_csv

        body, content_type = write_csv(header, lines), "text/csv"
    elif kind == "xlsx":
        from portal.register.table import write_xlsx

        body, content_type = write_xlsx(header, lines, "results"), XLSX
    else:
        body, content_type = results_pdf_bytes(context, request), "application/pdf"
    return Response(body, content_type=content_type, content_disposition=f'attachment; filename="{name}"')


def results_pdf_bytes(ballot, request):
    """The results as a PDF (portal.pdf): verdicts in words, every matter's table, issuing body, pages."""
    from portal import clock, pdf
    from portal.ballots.rules import window_text
    from portal.filing import contents

    values = {"ballot": ballot, "results": contents.results(ballot), "issuers": contents.issuers(ballot),
              "window": window_text(ballot.start_date, ballot.end_date), "percent": contents.percent,
              "made": clock.local(clock.now()).strftime("%Y年%m月%d日 %H:%M"),
              "preliminary": ballot.phase() != "disclosed"}
    return pdf.render("portal.templates:pdf/results.pt", values, request)


@view_config(context=Ballot, name="@results.csv", permission="view_results")
def results_csv(context, request):
    return download(context, request, "csv")


@view_config(context=Ballot, name="@results.xlsx", permission="view_results")
def results_xlsx(context, request):
    return download(context, request, "xlsx")


@view_config(context=Ballot, name="@results.pdf", permission="view_results")
def results_pdf(context, request):
    return download(context, request, "pdf")
