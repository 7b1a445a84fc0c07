"""Progress on the ballot page, and the results: page with bars, CSV, XLSX and a PDF report."""
from pyramid.response import Response
from pyramid.view import view_config

from portal.ballots import rules
from portal.ballots.models import Ballot
from portal.events import notify
from portal.register.rules import format_area
from portal.voting import report, service, verdicts
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


@view_config(context=Ballot, name="@results", json=False, permission="view_results",
             renderer="portal.templates:results.pt")
def results_page(context, request):
    data = service.results(context)
    matters = {m["id"]: m for m in context.matters}
    rows = [(matters[r["id"]], r, bars(r)) for r in data["matters"]]
    adjusted = [(matters[r["id"]], r, bars(r)) for r in data["follow_majority"]] if data["follow_majority"] else []
    groups = [(False, rows)] + ([(True, adjusted)] if adjusted else [])
    channel = {name: (owners, format_area(area))
               for name, (owners, area) in service.box_of(context).channels().items()}
    values = {"groups": groups, "channels": channel, "flagged": [], "rule_words": rules.RULE_WORDS,
              "categories": rules.CATEGORIES, "choice_words": CHOICE_WORDS, "verdict": verdicts.verdict, "carried": verdicts.carried,
              "matter_words": rules.matter_words}
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
