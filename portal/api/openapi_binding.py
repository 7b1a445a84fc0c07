"""The OpenAPI paths of asking the street office to unbind another account: the owner's request
(after the code letter, or after face verification) and the street staff's decline."""
from portal.api.openapi_kinds import body, errors, ok
from portal.binding.schemas import BindSchema


def paths(path_param):
    return {
        "/@unbind-request": {"post": {
            "summary": "After a face verification that proved an identity another account holds (the "
                       "verification's state is refused with bound_elsewhere), ask the street office to "
                       "unbind that account; the verification is used up either way",
            "parameters": [{"name": "request_id", "in": "query", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": ok("Whether the request was filed, and why not", {
                "type": "object", "properties": {"requested": {"type": "boolean"}, "message": {"type": "string"}}}),
                **errors(401, 403)}}},
        "/{path}/@unbind-request": {
            "parameters": path_param,
            "post": {"summary": "The caller proves the identity with the code letter (as for @bind) and asks the "
                                "street office to unbind the account the identity is bound to (409 bound_elsewhere "
                                "from @bind); the letter stays unused until then",
                     "requestBody": body(BindSchema()),
                     "responses": {"200": ok("The request: pending until street staff unbind or decline", {
                         "type": "object", "properties": {
                             "state": {"type": "string", "enum": ["pending", "unbound", "declined"]},
                             "requested": {"type": "string", "format": "date-time"},
                             "decided": {"type": "string", "format": "date-time", "nullable": True}}}),
                         **errors(400, 401, 403)}}},
        "/{path}/register/{unit}/@unbind-decline": {
            "parameters": path_param + [{"name": "unit", "in": "path", "required": True, "schema": {"type": "string"}},
                                        {"name": "i", "in": "query", "required": True,
                                         "schema": {"type": "integer"}, "description": "0 is the first owner"}],
            "post": {"summary": "Street staff decline an owner's request to unbind the account that holds the "
                                "identity of this unit's owner i (the owner sees it declined)",
                     "responses": {"200": ok("Declined (false: no such owner)", {
                         "type": "object", "properties": {"declined": {"type": "boolean"}}}),
                         **errors(401, 403)}}},
    }
