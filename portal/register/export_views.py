"""Downloads of the register: masked for staff who may view it, in full for district staff."""
from pyramid.response import Response
from pyramid.view import view_config

from portal.register import export
from portal.register.models import EXPORT_UNMASKED, VIEW_REGISTER, Register
from portal.register.table import write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(request, register, kind, full):
    header, rows = export.rows(register, request.registry.personal_data, full=full)
    name = f"register-{register.__parent__.__name__}{'-full' if full else ''}.{kind}"
    if kind == "csv":
        body, content_type = write_csv(header, rows), "text/csv"
    else:
        body, content_type = write_xlsx(header, rows), XLSX
    response = Response(body, content_type=content_type,
                        content_disposition=f'attachment; filename="{name}"')
    response.headers["Cache-Control"] = "no-store"
    return response


@view_config(context=Register, name="@export.csv", permission=VIEW_REGISTER)
def export_csv(context, request):
    return download(request, context, "csv", full=False)


@view_config(context=Register, name="@export.xlsx", permission=VIEW_REGISTER)
def export_xlsx(context, request):
    return download(request, context, "xlsx", full=False)


@view_config(context=Register, name="@export-full.csv", permission=EXPORT_UNMASKED)
def export_full_csv(context, request):
    request.audit("register.export_full", context, format="csv")
    return download(request, context, "csv", full=True)


@view_config(context=Register, name="@export-full.xlsx", permission=EXPORT_UNMASKED)
def export_full_xlsx(context, request):
    request.audit("register.export_full", context, format="xlsx")
    return download(request, context, "xlsx", full=True)
