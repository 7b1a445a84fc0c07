"""The tree as JSON: read a node, create a child, edit a node."""
from pyramid.view import view_config

from portal.api.errors import json_error, require_body, validate
from portal.api.render import node_json
from portal import clock
from portal.content import schemas, services
from portal.content.models import Node
from portal.i18n import _


@view_config(context=Node, json=True, request_method="GET", permission="view", renderer="json")
def read_node(context, request):
    return node_json(request, context)


@view_config(context=Node, json=True, request_method="POST", permission="add", renderer="json")
def create_child(context, request):
    body = require_body(request)
    type_name = body.get("@type")
    expected = context.child_type.type_name if context.child_type else None
    if type_name != expected:
        raise json_error(
            request, 400, "unknown_type",
            _("${found} cannot be created here; this container holds ${expected}."),
            mapping={"found": str(type_name), "expected": str(expected)},
        )
    values = validate(request, schemas.add_schema(type_name).bind(context=context, request=request), body)
    child = services.create_child(context, type_name, values)
    request.audit("content.create", child, type=type_name)
    request.response.status_int = 201
    request.response.headers["Location"] = request.resource_url(child)
    return node_json(request, child)


@view_config(context=Node, json=True, request_method="PATCH", permission="edit", renderer="json")
def edit_node(context, request):
    body = require_body(request)
    current = services.node_fields(context, schemas.field_names(context.type_name))
    current.update({k: v for k, v in body.items() if k in current})
    values = validate(request, schemas.edit_schema(context.type_name).bind(context=context, request=request), current)
    changed = services.update_node(context, values, clock.now())
    if changed:
        request.audit("content.edit", context, fields=",".join(changed))
    return node_json(request, context)
