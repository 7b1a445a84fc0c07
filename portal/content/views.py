"""Pages of the tree: a node's page, and the add and edit forms."""
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.content import schemas, services
from portal.content.models import Node
from portal.content.panels import rendered_panels
from portal.forms import FormPage
from portal.i18n import _

BATCH = 50


def batch(request, context):
    """One page of children, by name: ``?start=<name>``."""
    start = request.params.get("start") or None
    items = context.items(start=start, limit=BATCH + 1)
    following = items[BATCH][0] if len(items) > BATCH else None
    return items[:BATCH], following


@view_config(context=Node, json=False, permission="view", renderer="portal.templates:node.pt")
def node_page(context, request):
    children, following = batch(request, context)
    fields = []
    if context.type_name in schemas.SCHEMAS:
        for node in schemas.edit_schema(context.type_name).children:
            if node.name != "title" and getattr(context, node.name, ""):
                value = getattr(context, node.name)
                if node.name == "kind":
                    value = dict(schemas.STREET_KINDS).get(value, value)
                fields.append((node.title, value))
    return {
        "panels": rendered_panels(request, context),
        "children": children,
        "next_url": request.resource_url(context, query={"start": following}) if following else None,
        "fields": fields,
        "count": len(context),
    }


@view_config(context=Node, name="@add", json=False, permission="add")
class AddPage(FormPage):
    buttons = (("add", _("Add")),)

    def schema(self):
        return schemas.add_schema(self.context.child_type.type_name)

    @property
    def title(self):
        return _("Add ${type}", mapping={"type": self.request.localizer.translate(self.context.child_type.type_title)})

    def succeed(self, values):
        child = services.create_child(self.context, self.context.child_type.type_name, values)
        self.request.audit("content.create", child, type=child.type_name)
        return HTTPFound(self.request.resource_url(child))


@view_config(context=Node, name="@edit", json=False, permission="edit")
class EditPage(FormPage):
    title = _("Edit")

    def schema(self):
        return schemas.edit_schema(self.context.type_name)

    def appstruct(self):
        return services.node_fields(self.context, schemas.field_names(self.context.type_name))

    def succeed(self, values):
        changed = services.update_node(self.context, values, clock.now())
        if changed:
            self.request.audit("content.edit", self.context, fields=",".join(changed))
        return HTTPFound(self.request.resource_url(self.context))
