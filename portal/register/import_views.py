"""Importing a register: upload, every bad row listed, a preview of the changes, then confirm.

The page flow keeps the checked, encrypted units as the register's pending import between the
preview and the confirmation; the confirmation applies them only if nobody changed the register
in between.  The API imports in one request (``?dry_run=true`` only previews).
"""
import datetime

from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error
from portal.forms import FormPage
from portal.i18n import _
from portal.register import importer, services
from portal.register.columns import in_chinese
from portal.register.generator import row
from portal.register.idnumbers import check_char
from portal.register.models import EDIT_REGISTER, Register
from portal.register.schemas import ImportSchema
from portal.register.table import write_csv, write_xlsx
from portal.register.views import GAP_TITLES

PENDING_LIFETIME = datetime.timedelta(hours=1)
EXAMPLE_ID = "11010519491231002X"       # the check-digit example published with GB 11643
SECOND_ID = "44010619800101123" + check_char("44010619800101123")
EXAMPLE_ROWS = [
    row("1", "1", "101", area="88.50", owner=("张三", EXAMPLE_ID), phone="13800138000"),
    row("1", "1", "101", area="88.50", owner=("李四", SECOND_ID)),
    row("1", "1", "102", area="90.00", unsold="yes"),
    row("车库", "", "P001", kind="parking", area="12.50", source="surveyed", owner=("张三", EXAMPLE_ID)),
]


GAP_ROOMS_SHOWN = 50        # the preview names this many rooms of each gap


def changes_json(changes, gaps):
    return {"added": changes.added, "changed": changes.changed, "removed": changes.removed,
            "unchanged": changes.unchanged, "gaps": {name: len(titles) for name, titles in gaps.items()}}


def gap_lines(gaps):
    """(title, count, the first rooms) of each gap the file leaves to fill, in the report's order."""
    return [(title, len(gaps[name]), gaps[name][:GAP_ROOMS_SHOWN]) for name, title in GAP_TITLES.items()
            if name in gaps]


def apply_units(request, register, units, changes):
    importer.apply(register, units)
    services.refresh(register, clock.now())
    register.pending = None
    request.audit("register.import", register, added=len(changes.added), changed=len(changes.changed),
                  removed=len(changes.removed))


@view_config(context=Register, name="@import", json=False, permission=EDIT_REGISTER)
class ImportPage(FormPage):
    schema = ImportSchema
    title = _("Import the register")
    buttons = (("check", _("Check the file")),)
    template = "portal.templates:register_import.pt"

    def page_values(self):
        return {"rows": None, "changes": None, "gaps": [], "english": self.request.locale_name == "en"}

    def succeed(self, values):
        upload = values["upload"]
        prepared = importer.prepare(upload["filename"], upload["fp"].read(),
                                    self.request.registry.personal_data)
        if prepared.errors:
            return self.render_result(rows=prepared.errors, status=400)
        changes = importer.compare(self.context, prepared.units)
        self.context.pending = {"uid": self.request.identity.uid, "created": clock.now(),
                                "version": self.context.version, "units": prepared.units}
        return self.render_result(changes=changes, count=prepared.rows,
                                  gaps=gap_lines(importer.gaps_of(prepared.units)))

    def render_result(self, rows=None, changes=None, count=0, gaps=(), status=200):
        values = {"form": self.make_form().render(), "title": self.title, "context": self.context,
                  "rows": rows, "changes": changes, "count": count, "gaps": gaps,
                  "english": self.request.locale_name == "en"}
        response = render_to_response(self.template, values, request=self.request)
        response.status_int = status
        return response


@view_config(context=Register, name="@import-confirm", request_method="POST", permission=EDIT_REGISTER)
def confirm_import(context, request):
    pending = context.pending
    translate = request.localizer.translate
    if (pending is None or pending["uid"] != request.identity.uid
            or pending["created"] + PENDING_LIFETIME < clock.now()):
        request.session.flash(translate(_("There is no checked file to apply; upload it again.")))
        return HTTPFound(request.resource_url(context, "@import"))
    if pending["version"] != context.version:
        context.pending = None
        request.session.flash(translate(_("The register changed after the check; upload the file again.")))
        return HTTPFound(request.resource_url(context, "@import"))
    changes = importer.compare(context, pending["units"])
    apply_units(request, context, pending["units"], changes)
    request.session.flash(translate(_("The register was imported: ${added} added, ${changed} changed, "
                                      "${removed} removed.", mapping={
                                          "added": len(changes.added), "changed": len(changes.changed),
                                          "removed": len(changes.removed)})))
    return HTTPFound(request.resource_url(context))


def uploaded(request):
    """(filename, bytes) from a multipart ``file`` field or a raw CSV/XLSX body."""
    field = request.POST.get("file") if request.content_type.startswith("multipart/") else None
    if field is not None and hasattr(field, "file"):
        return field.filename, field.file.read()
    kind = ".xlsx" if "spreadsheetml" in request.content_type else ".csv"
    return "upload" + kind, request.body


@view_config(context=Register, name="@import", json=True, request_method="POST",
             permission=EDIT_REGISTER, renderer="json")
def import_api(context, request):
    filename, data = uploaded(request)
    prepared = importer.prepare(filename, data, request.registry.personal_data)
    if prepared.errors:
        exc = json_error(request, 400, "invalid_rows", _("Nothing was imported: some rows are wrong."))
        english = request.locale_name == "en"
        exc.json_body = dict(exc.json_body, rows=[e.as_dict(request.localizer.translate, english)
                                                  for e in prepared.errors])
        raise exc
    changes = importer.compare(context, prepared.units)
    dry_run = request.params.get("dry_run", "").lower() in ("1", "true", "yes")
    if not dry_run:
        apply_units(request, context, prepared.units, changes)
    return {"applied": not dry_run, "rows": prepared.rows, **changes_json(changes, importer.gaps_of(prepared.units))}


def template_rows(request):
    """The template's header and example rows, written as a clerk writes them: in Chinese."""
    return list(importer.CHINESE_HEADERS), [in_chinese(r) for r in EXAMPLE_ROWS]


@view_config(context=Register, name="@template.csv", permission=EDIT_REGISTER)
def template_csv(context, request):
    header, rows = template_rows(request)
    return Response(write_csv(header, rows), content_type="text/csv", charset="utf-8",
                    content_disposition='attachment; filename="register-template.csv"')


@view_config(context=Register, name="@template.xlsx", permission=EDIT_REGISTER)
def template_xlsx(context, request):
    header, rows = template_rows(request)
    return Response(write_xlsx(header, rows),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    content_disposition='attachment; filename="register-template.xlsx"')
