"""JSON Schema for the OpenAPI description, read off the same colander schemas the API uses."""
import colander

TYPES = {
    colander.String: {"type": "string"},
    colander.Int: {"type": "integer"},
    colander.Integer: {"type": "integer"},
    colander.Bool: {"type": "boolean"},
    colander.Boolean: {"type": "boolean"},
    colander.Decimal: {"type": "string", "format": "decimal"},
    colander.Date: {"type": "string", "format": "date"},
    colander.DateTime: {"type": "string", "format": "date-time"},
}


def node_schema(node):
    typ = node.typ
    if isinstance(typ, colander.Mapping):
        return mapping_schema(node)
    if isinstance(typ, (colander.Sequence, colander.List)):
        return {"type": "array", "items": node_schema(node.children[0])}
    if isinstance(typ, colander.Set):
        return {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    schema = dict(next((TYPES[kind] for kind in type(typ).__mro__ if kind in TYPES), {"type": "string"}))
    if node.title:
        schema["title"] = str(node.title)
    if node.description:
        schema["description"] = str(node.description)
    for validator in _validators(node):
        if isinstance(validator, colander.OneOf):
            schema["enum"] = list(validator.choices)
        elif isinstance(validator, colander.Length):
            if validator.min:
                schema["minLength"] = validator.min
            if validator.max:
                schema["maxLength"] = validator.max
        elif isinstance(validator, colander.Regex):
            schema["pattern"] = validator.match_object.pattern
    return schema


def _validators(node):
    validator = node.validator
    if validator is None or isinstance(validator, colander.deferred):
        return []
    if isinstance(validator, colander.All):
        return list(validator.validators)
    return [validator]


def mapping_schema(node, extra=None):
    properties = {child.name: node_schema(child) for child in node.children}
    required = [child.name for child in node.children if child.missing is colander.required]
    schema = {"type": "object", "properties": properties}
    if extra:
        schema["properties"].update(extra)
        required = sorted(set(required) | {k for k, v in extra.items() if v.pop("x-required", False)})
    if required:
        schema["required"] = required
    return schema
