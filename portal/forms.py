"""Deform forms: the renderer (translated, with our template overrides) and a base form page.

A page form is a colander schema (the same one the JSON API validates with) plus a hidden CSRF
field; ``FormPage`` renders it, validates a POST and hands the clean values to ``succeed``.
"""
import colander
import deform
from pyramid.csrf import check_csrf_token, get_csrf_token
from pyramid.renderers import render_to_response
from pyramid.threadlocal import get_current_request

from portal.i18n import _

CSRF_FIELD = "csrf_token"


def translator(term):
    request = get_current_request()
    return request.localizer.translate(term) if request is not None else term


def configure_deform():
    import importlib.resources

    ours = str(importlib.resources.files("portal.templates") / "deform")
    theirs = str(importlib.resources.files("deform") / "templates")
    deform.Form.set_zpt_renderer((ours, theirs), translator=translator)


def with_csrf(schema, request):
    """A copy of ``schema`` with the hidden CSRF token the page must send back."""
    schema = schema.clone()
    schema.add(
        colander.SchemaNode(
            colander.String(),
            name=CSRF_FIELD,
            widget=deform.widget.HiddenWidget(),
            default=get_csrf_token(request),
            missing="",
        )
    )
    return schema


def error_summary(field):
    """[(label, message, element id)] of every field with an error, for the summary on top."""
    found = []
    for child in field.children:
        if child.error is not None and not child.children:
            found.append((child.title, child.error.msg, child.oid))
        found.extend(error_summary(child))
    return found


class FormError(Exception):
    """Raised by ``succeed`` when a rule refuses the values: shown on the form, nothing saved."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class FormPage:
    """Base of every form page: set ``schema``, ``title`` and ``succeed``; see Kotti's forms."""

    schema = None
    title = ""
    buttons = (("save", _("Save")),)
    template = "portal.templates:form.pt"
    formid = "form"
    focus = "on"            # "off": the page does not open on the form's first field
    # Unsafe requests carrying the session cookie are checked anyway (portal.security); forms that
    # sign someone in are checked without one too, so no other site can sign a visitor in.
    csrf_always = False

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def bindings(self):
        return {"request": self.request, "context": self.context}

    def action(self):
        """Where the form posts to: this page."""
        return ""

    def make_form(self):
        schema = with_csrf(self.schema().bind(**self.bindings()), self.request)
        buttons = [deform.Button(name, self.request.localizer.translate(title)) for name, title in self.buttons]
        return deform.Form(schema, buttons=buttons, formid=self.formid, action=self.action(), focus=self.focus)

    def appstruct(self):
        """Values to show when the form first appears."""
        return {}

    def __call__(self):
        form = self.make_form()
        if self.request.method == "POST" and any(name in self.request.POST for name, _ in self.buttons):
            if self.csrf_always:
                check_csrf_token(self.request, token=CSRF_FIELD)      # BadCSRFToken: a 400 page
            try:
                values = form.validate(self.request.POST.items())
            except deform.ValidationFailure as failure:
                return self.show(failure.render(), status=400, summary=error_summary(failure.field))
            values.pop(CSRF_FIELD, None)
            savepoint = self.request.tm.savepoint()
            try:
                return self.succeed(values)
            except FormError as error:
                savepoint.rollback()
                return self.show(self.failed(form, error), status=400)
        return self.show(form.render(self.appstruct()))

    def failed(self, form, error, values=None):
        """Render ``form`` with a rule's refusal, on top and, if named, at the field; ``values``
        are shown again (what the person typed, never a password)."""
        message = self.request.localizer.translate(error.message)
        invalid = colander.Invalid(form.schema, message)
        if error.field is not None:
            node = form.schema[error.field]
            invalid.add(colander.Invalid(node, message), form.schema.children.index(node))
        form.widget.handle_error(form, invalid)
        return form.render(values) if values is not None else form.render()

    def succeed(self, values):
        raise NotImplementedError

    def page_values(self):
        return {}

    def show(self, form_html, status=200, summary=()):
        values = {"form": form_html, "title": self.title, "context": self.context, "error_summary": summary}
        values.update(self.page_values())
        response = render_to_response(self.template, values, request=self.request)
        response.status_int = status
        return response


def includeme(config):
    configure_deform()
    config.add_static_view("static-deform", "deform:static", cache_max_age=86400)
