"""Progress on the ballot page, and the results: page with bars, CSV, XLSX and a PDF report."""
from pyramid.response import Response
from pyramid.view import view_config

from portal.ballots import rules
from portal.ballots.models import Ballot
from portal.events import notify
from portal.register.rules import format_area
from portal.voting import report, service
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

    ta, pa = area(result["total_area"]), area(result["participating_area"])
    return {
        "participation": [("owners", percent(result["participating_owners"], result["total_owners"])),
                          ("area", percent(pa, ta))],
        "choices": [(choice, percent(result[f"{choice}_owners"], result["participating_owners"]),
                     percent(area(result[f"{choice}_area"]), pa)) for choice in ("agree", "oppose", "abstain")],
    }


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
              "categories": rules.CATEGORIES, "choice_words": CHOICE_WORDS}
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
        body, content_type = report.pdf(context, service.results(context), request.localizer.translate), \
            "application/pdf"
    return Response(body, content_type=content_type, content_disposition=f'attachment; filename="{name}"')


@view_config(context=Ballot, name="@results.csv", permission="view_results")
def results_csv(context, request):
    return download(context, request, "csv")


@view_config(context=Ballot, name="@results.xlsx", permission="view_results")
def results_xlsx(context, request):
    return download(context, request, "xlsx")


@view_config(context=Ballot, name="@results.pdf", permission="view_results")
def results_pdf(context, request):
    return download(context, request, "pdf")
