"""The OpenAPI paths of the staff desks: the city's and a district's desk, a street's worklist,
and the audit log in words."""
from portal.api.openapi_kinds import errors, ok

DESK_FIGURES = {"type": "object", "properties": {
    "communities": {"type": "integer"}, "with_register": {"type": "integer"},
    "bound_owners": {"type": "integer"}, "ballots_held": {"type": "integer"}}}
DESK_LINES = {"type": "object", "properties": {
    "count": {"type": "integer"}, "items": {"type": "array", "items": {"type": "object", "properties": {
        "title": {"type": "string"}, "@id": {"type": "string", "description": "where the work is done"}}}},
    "counts": {"type": "array", "description": "gaps only: registers with each kind of gap",
               "items": {"type": "object", "properties": {"gap": {"type": "string"}, "title": {"type": "string"},
                                                          "communities": {"type": "integer"}}}}}}
DESK_SERIES = {"type": "array", "description": "one point per month, as the periodic job recorded it",
               "items": {"allOf": [DESK_FIGURES, {"type": "object", "properties": {
                   "month": {"type": "string"}, "recorded_at": {"type": "string", "format": "date-time"},
                   "demo": {"type": "boolean"}}}]}}


def paths(path_param):
    return {
        "/@worklist": {"get": {
            "summary": "The city administrators' desk: coverage as the seed reports it (communities with a "
                       "register of all, owners bound, ballots held), by district, and the recorded monthly series",
            "responses": {"200": ok("The city's figures, its districts' and the series", {
                "type": "object", "properties": {
                    "figures": DESK_FIGURES, "sentence": {"type": "string"},
                    "bound_recorded_at": {"type": "string", "format": "date-time", "nullable": True},
                    "districts": {"type": "array", "items": {"allOf": [DESK_FIGURES, {"type": "object", "properties": {
                        "title": {"type": "string"}, "@id": {"type": "string"}}}]}},
                    "series": DESK_SERIES}}),
                **errors(401, 403)}}},
        "/{path}/@worklist": {
            "parameters": path_param + [
                {"name": "start", "in": "query", "schema": {"type": "integer", "minimum": 0},
                 "description": "street: the first line to spell out (every line is counted)"},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                 "description": "street: how many lines (50 unless given)"}],
            "get": {"summary": "A street office's worklist (what waits for it across its communities, oldest first: "
                               "items and counts); on a district, the district office's desk (figures, communities "
                               "without a register, registers with gaps by kind, filed documents to publish, series)",
                    "responses": {"200": ok("The street's lines and counts, or the district's desk", {
                        "type": "object", "properties": {
                        "figures": DESK_FIGURES, "sentence": {"type": "string"},
                        "without_register": DESK_LINES, "gaps": DESK_LINES, "documents": DESK_LINES,
                        "series": DESK_SERIES,
                        "items": {"type": "array", "items": {"type": "object", "properties": {
                            "kind": {"type": "string"}, "title": {"type": "string"}, "ballot": {"type": "string"},
                            "community": {"type": "string"}, "since": {"type": "string"},
                            "waiting_days": {"type": "integer"}, "detail": {"type": "object"},
                            "@id": {"type": "string"}}}},
                        "counts": {"type": "object"}, "items_total": {"type": "integer"},
                        "batching": {"type": "object", "properties": {
                            "next": {"type": "string"}, "previous": {"type": "string"}}}}}),
                        **errors(401, 403)}}},
        "/{path}/@audit": {
            "parameters": path_param + [
                {"name": "action", "in": "query", "schema": {"type": "string"}, "description": "one action id"},
                {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}}],
            "get": {"summary": "The audit log of this part of the tree (staff), newest first: each entry's sentence "
                               "in the caller's language (the actor named by office) and its raw fields, filtered "
                               "by action and local date",
                    "responses": {"200": ok("Entries", {"type": "object", "properties": {
                        "items": {"type": "array", "items": {"type": "object", "properties": {
                            "seq": {"type": "integer"}, "when": {"type": "string", "format": "date-time"},
                            "actor": {"type": "string"}, "action": {"type": "string"}, "path": {"type": "string"},
                            "detail": {"type": "object"}, "hash": {"type": "string"}, "prev": {"type": "string"},
                            "sentence": {"type": "string"}}}}}}),
                        **errors(400, 401, 403)}}},
    }
