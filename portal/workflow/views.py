"""City administrators edit the workflows in force; export them as YAML; reset them to the files.

``/@workflows`` lists them; ``/@workflows/<kind>`` shows one as a diagram and edits it (a grid of
who may do what in each state, transitions with selects, a form to add a state).  Every edit is
first checked (every state reachable, an end reachable from every state, the phases the code
relies on present, no object in use sent to another phase), its problems shown at the fields;
then a preview says what it changes (objects moved, permissions gained or lost by role) and
saves it from there (``/@workflows/<kind>/save``).  Objects in renamed or removed states are
moved; the edit applies on the next request.
"""
import json

import colander
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
from portal.workflow import diagram, forms, preview, registry, titles, types
from portal.workflow.locate import located, phase_problems


def save(request, kind, new, renames=None):
    """Store ``new`` as the ``kind`` workflow, remapping every object of that kind, and audit
    what changed (states, transitions, permissions before and after)."""
    portal = request.portal
    old = registry.get(portal, kind)
    moves = registry.save(portal, kind, new, renames, types.objects_of(request.registry, portal, kind),
                          describe=lambda obj: f"{obj.title} ({resource_path(obj)})")
    return moves, json.dumps(defs.changes(old, new), ensure_ascii=False, sort_keys=True)


def lang_of(request):
    return "en" if request.locale_name == "en" else "zh"


class FieldProblems(FormError):
    """The definition's problems, each at its field ((path, message) pairs)."""

    def __init__(self, found):
        super().__init__(_("The workflow was not saved: see the fields marked below."))
        self.found = found


def check_edit(request, kind, old, new, renames, rows=None):
    """Every problem of ``new`` located at the editor's fields (``rows``: the editor's values)."""
    found = defs.problems(new)
    if not found:
        found = phase_problems(request.portal, kind, old, new, renames)
    translate = request.localizer.translate
    word = lambda code, detail: translate(titles.PHASES[detail]) if code == "missing_phase" else detail   # noqa: E731
    return located(found, rows, word) if found else []


def preview_page(request, kind, old, new, renames):
    """The page saying what the edit changes, with the button that saves it."""
    lang = lang_of(request)
    moves = preview.state_moves(old, new, renames)
    counts = preview.objects_in(request.portal, kind, [state for state, _target, _how in moves])
    changes = preview.permission_changes(old, new, renames)
    title_of = lambda d, s: titles.state_title(d, s, lang)    # noqa: E731
    added = [s for s in new["states"] if s not in old["states"] and s not in renames.values()]
    return render_to_response("portal.templates:workflow_preview.pt", {
        "title": _("Check the changes before they are saved"), "kind": kind,
        "moves": [(title_of(old, s), title_of(new, t), how, counts.get(s, 0)) for s, t, how in moves],
        "added": [title_of(new, s) for s in added],
        "transitions_added": [titles.transition_title(new["transitions"][t], t, lang)
                              for t in new["transitions"] if t not in old["transitions"]],
        "transitions_removed": [titles.transition_title(old["transitions"][t], t, lang)
                                for t in old["transitions"] if t not in new["transitions"]],
        "roles": [(titles.ROLES[role], [(title_of(new, s), titles.PERMISSIONS[p]) for s, p in changes[role]["gained"]],
                   [(title_of(new if s in new["states"] else old, s), titles.PERMISSIONS[p])   # removed: old title
                    for s, p in changes[role]["lost"]])
                  for role in defs.ROLES if role in changes],
        "definition": json.dumps(new, ensure_ascii=False, sort_keys=True),
        "renames": json.dumps(renames, ensure_ascii=False, sort_keys=True),
        "based_on": preview.fingerprint(old),
        "diagram": diagram_values(request, new),
        "changed": bool(moves or added or changes or defs.changes(old, new)),
    }, request=request)


def diagram_values(request, definition):
    lang = lang_of(request)
    translate = request.localizer.translate
    state_title = lambda s: titles.state_title(definition, s, lang)                           # noqa: E731
    transition_title = lambda t: titles.transition_title(definition["transitions"][t], t, lang)  # noqa: E731
    phase_title = lambda p: translate(titles.PHASES[p])                                        # noqa: E731
    return {"svg": diagram.svg(definition, state_title, transition_title, phase_title,
                               translate(_("Diagram of the workflow")),
                               translate(_("The states as boxes, from the first at the top; arrows are the "
                                           "transitions, each labelled with its title. The same as a list "
                                           "follows the diagram."))),
            "lines": diagram.text_lines(definition, state_title, transition_title)}


class EditorPage(FormPage):
    """Base of the two forms of ``/@workflows/<kind>``: both end on the preview page."""
    template = "portal.templates:workflow_edit.pt"
    focus = "off"           # the page opens on the diagram, not scrolled to the first field

    def __init__(self, context, request, kind):
        super().__init__(context, request)
        self.kind = kind
        self.stored = registry.get(context, kind)
        self.summary = ()

    def page_values(self):
        other = (NewStatePage if isinstance(self, WorkflowEditor) else WorkflowEditor)(
            self.context, self.request, self.kind)
        forms_html = {type(self).__name__: None, type(other).__name__: other.make_form().render(other.appstruct())}
        return {"kind": self.kind, "workflow": self.stored, "diagram": diagram_values(self.request, self.stored),
                "new_state_form": forms_html["NewStatePage"], "editor_form": forms_html["WorkflowEditor"],
                "error_summary": self.summary, "lang": lang_of(self.request)}

    def show(self, form_html, status=200, summary=()):
        self.summary = summary or self.summary
        values = self.page_values()
        key = "editor_form" if isinstance(self, WorkflowEditor) else "new_state_form"
        values.update({key: form_html, "title": self.title, "context": self.context, "focus": key})
        response = render_to_response(self.template, values, request=self.request)
        response.status_int = status
        return response

    def failed(self, form, error, values=None):
        if not isinstance(error, FieldProblems):
            return super().failed(form, error, values)
        translate = self.request.localizer.translate
        root = colander.Invalid(form.schema, translate(error.message))
        for path, message in error.found:
            attach(form.schema, root, path, translate(message))
        form.widget.handle_error(form, root)
        # every problem on top too (deform keeps no field per item of a list, so the summary is
        # made from the problems), each with the title of its field, linking to the form
        self.summary = [(schema_at(form.schema, p).title if p else self.title, translate(m), self.formid)
                        for p, m in error.found]

        return form.render()

    def preview(self, new, renames, rows=None):
        found = check_edit(self.request, self.kind, self.stored, new, renames, rows)
        if found:
            raise FieldProblems(found)
        return preview_page(self.request, self.kind, self.stored, new, renames)


def schema_at(schema, path):
    for step in path:
        schema = schema.children[0] if isinstance(step, int) else schema[step]
    return schema


def attach(schema, root, path, message):
    """Add ``message`` to the colander error tree ``root`` at ``path`` (names and sequence indexes)."""
    node, exc = schema, root
    for step in path:
        if isinstance(step, int):
            child, pos = node.children[0], step
        else:
            child = node[step]
            pos = node.children.index(child)
        found = next((c for c in exc.children if c.pos == pos), None)
        if found is None:
            found = colander.Invalid(child, [])
            exc.add(found, pos)
        node, exc = child, found
    if exc is root:
        return
    exc.msg = (exc.msg if isinstance(exc.msg, list) else [exc.msg] if exc.msg else []) + [message]


class WorkflowEditor(EditorPage):
    title = _("Edit the workflow")
    buttons = (("preview", _("Check and preview the changes")),)
    formid = "form"

    def schema(self):
        return forms.schema_for(self.kind, self.stored, lang_of(self.request))

    def action(self):
        return self.request.resource_url(self.context, "@workflows", self.kind)

    def appstruct(self):
        return forms.to_appstruct(self.stored, self.kind)

    def succeed(self, values):
        ids = [row["id"] for row in values["states"]]
        transition_ids = [row["id"] for row in values["transitions"]]
        doubles = [("duplicate_state", i) for i in sorted({i for i in ids if ids.count(i) > 1})]
        doubles += [("duplicate_transition", i) for i in sorted({i for i in transition_ids
                                                                  if transition_ids.count(i) > 1})]
        if doubles:
            raise FieldProblems(located(doubles, values))
        definition, renames = forms.from_appstruct(values, self.kind)
        return self.preview(registry.normalize(definition), renames, values)


class NewStatePage(EditorPage):
    title = _("Add a state")
    buttons = (("add_state", _("Check and preview the new state")),)
    formid = "new-state"

    def schema(self):
        return forms.new_state_schema(self.kind, self.stored, lang_of(self.request))

    def action(self):
        return self.request.resource_url(self.context, "@workflows", self.kind, "add-state")

    def appstruct(self):
        first = self.stored["initial"]
        return {"phase": self.stored["states"][first]["phase"], "after": first, "copy_from": first}

    def succeed(self, values):
        return self.preview(registry.normalize(forms.with_new_state(self.stored, values)), {})


class SaveSchema(colander.MappingSchema):
    definition = colander.SchemaNode(colander.String())
    renames = colander.SchemaNode(colander.String(), missing="{}")
    based_on = colander.SchemaNode(colander.String())


def parsed(text):
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def save_previewed(context, request, kind):
    """The preview's "save": the definition it showed, if the stored one has not changed since."""
    translate = request.localizer.translate
    back = request.resource_url(context, "@workflows", kind)
    try:
        values = SaveSchema().deserialize(dict(request.POST))
    except colander.Invalid:
        values = None
    definition = parsed(values["definition"]) if values else None
    renames = parsed(values["renames"]) if values else None
    if definition is None or renames is None or not all(isinstance(v, str) for v in renames.values()):
        request.session.flash(translate(_("Nothing was saved: the preview was incomplete. Make the edit again.")))
        return HTTPFound(back)
    if values["based_on"] != preview.fingerprint(registry.get(context, kind)):
        request.session.flash(translate(_("Nothing was saved: the workflow changed after your preview. "
                                          "Make the edit again on the workflow as it is now.")))
        return HTTPFound(back)
    savepoint = request.tm.savepoint()
    try:
        moves, changed = save(request, kind, registry.normalize(dict(definition, id=kind)), renames)
    except (registry.InvalidDefinition, KeyError, TypeError, AttributeError, ValueError) as invalid:
        savepoint.rollback()        # a definition of the wrong shape (only a tampered preview sends one)
        problems = getattr(invalid, "problems", None) or [("yaml", type(invalid).__name__)]
        request.session.flash(" ".join(translate(m) for m in forms.describe(problems)))
        return HTTPFound(back)
    reindex_workflow(context, kind)       # permissions, phases and timers per state changed
    request.audit("workflow.edit", context, kind=kind, moved=len(moves), changes=changed)
    request.session.flash(translate(_("The workflow is saved and in force.")))
    return HTTPFound(request.resource_url(context, "@workflows"))


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
        # resetting is an edit like any other: the preview says what it undoes, its button saves
        return preview_page(request, kind, registry.get(context, kind), registry.parse(registry.default_text(kind)), {})
    if path[1:] == ["save"] and request.method == "POST":
        return save_previewed(context, request, kind)
    if path[1:] == ["add-state"]:
        return NewStatePage(context, request, kind)()
    if path[1:]:
        raise HTTPNotFound()
    return WorkflowEditor(context, request, kind)()
