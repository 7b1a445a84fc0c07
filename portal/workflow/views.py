"""City administrators edit the workflows in force; export them as YAML; reset them to the files.

``/@workflows`` lists them; ``/@workflows/<kind>`` edits one.  An edit is validated before it
is saved (every state reachable, an end reachable from every state, the phases the code relies
on present); objects in renamed or removed states are moved; it applies on the next request.
"""
import json

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.traversal import resource_path
from pyramid.view import view_config

from portal.catalog.indexing import reindex_workflow
from portal.content.models import Portal
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.workflow import definition as defs
from portal.workflow import forms, registry, types


def save(request, kind, new, renames=None):
    """Store ``new`` as the ``kind`` workflow, remapping every object of that kind, and audit
    what changed (states, transitions, permissions before and after)."""
    portal = request.portal
    old = registry.get(portal, kind)
    moves = registry.save(portal, kind, new, renames, types.objects_of(request.registry, portal, kind),
                          describe=lambda obj: f"{obj.title} ({resource_path(obj)})")
    return moves, json.dumps(defs.changes(old, new), ensure_ascii=False, sort_keys=True)


class WorkflowEditor(FormPage):
    title = _("Edit the workflow")
    buttons = (("save", _("Save")),)
    template = "portal.templates:workflow_edit.pt"

    def __init__(self, context, request, kind):
        super().__init__(context, request)
        self.kind = kind

    def schema(self):
        return forms.schema_for(self.kind)

    def action(self):
        return self.request.resource_url(self.context, "@workflows", self.kind)

    def appstruct(self):
        return forms.to_appstruct(registry.get(self.context, self.kind), self.kind)

    def page_values(self):
        return {"kind": self.kind}

    def succeed(self, values):
        definition, renames = forms.from_appstruct(values, self.kind)
        definition = registry.normalize(definition)
        try:
            moves, changed = save(self.request, self.kind, definition, renames)
        except registry.InvalidDefinition as invalid:
            translate = self.request.localizer.translate
            raise FormError(" ".join(translate(m) for m in forms.describe(invalid.problems)))
        reindex_workflow(self.context, self.kind)       # permissions, phases and timers per state changed
        self.request.audit("workflow.edit", self.context, kind=self.kind, moved=len(moves), changes=changed)
        self.request.session.flash(self.request.localizer.translate(_("The workflow is saved and in force.")))
        return HTTPFound(self.request.resource_url(self.context, "@workflows"))


@view_config(context=Portal, name="@workflows", permission="manage_portal")
def workflows(context, request):
    path = list(request.subpath)
    if not path:
        return render_to_response("portal.templates:workflows.pt", {
            "kinds": [(kind, registry.get(context, kind)) for kind in registry.KINDS],
            "title": _("Workflows")}, request=request)
    kind = path[0]
    if kind not in registry.KINDS:
        raise HTTPNotFound()
    if path[1:] == ["export"]:
        return Response(registry.dump(registry.get(context, kind)), content_type="text/yaml", charset="utf-8",
                        content_disposition=f'attachment; filename="{kind}.yaml"')
    if path[1:] == ["reset"] and request.method == "POST":
        definition = registry.parse(registry.default_text(kind))
        try:
            moves, changed = save(request, kind, definition)
        except registry.InvalidDefinition as invalid:
            request.session.flash(" ".join(request.localizer.translate(m) for m in forms.describe(invalid.problems)))
            return HTTPFound(request.resource_url(context, "@workflows"))
        reindex_workflow(context, kind)
        request.audit("workflow.reset", context, kind=kind, moved=len(moves), changes=changed)
        request.session.flash(request.localizer.translate(_("The workflow was reset to the files.")))
        return HTTPFound(request.resource_url(context, "@workflows"))
    if path[1:]:
        raise HTTPNotFound()
    return WorkflowEditor(context, request, kind)()
