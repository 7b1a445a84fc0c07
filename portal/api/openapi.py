"""``GET /openapi.json``: the OpenAPI 3 description of the JSON API.

Request bodies are read off the colander schemas the views validate with, so the description
cannot drift from what the API accepts.  Each later feature adds its paths to ``PATHS``.
"""
from pyramid.view import view_config

from portal.api import openapi_binding, openapi_desks, openapi_kinds, openapi_paper
from portal.api.schema_json import mapping_schema
from portal.ballots import schemas as ballot_schemas
from portal.binding import face
from portal.binding import schemas as binding_schemas
from portal.content import schemas as content_schemas
from portal.content.models import Portal
from portal.notify.schemas import ReminderSchema, ReminderSettingSchema
from portal.security import schemas as security_schemas

ERROR = {"$ref": "#/components/schemas/Error"}
BUSY = "A write still meeting other commits after every retry gets 503 (busy, Retry-After): nothing saved, resend."


def error_responses(*codes):
    text = {400: "Invalid input", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
            409: "Conflict (bound_elsewhere: another account holds the identity)",
            413: "Request body too large", 429: "Too many attempts"}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": ERROR}}}
            for c in codes}


def json_body(schema, extra=None):
    return {"required": True,
            "content": {"application/json": {"schema": mapping_schema(schema, extra)}}}


def ok(description, schema=None):
    response = {"description": description}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return response


def content_create_body():
    variants = []
    for type_name in content_schemas.SCHEMAS:
        extra = {"@type": {"type": "string", "enum": [type_name], "x-required": True}}
        variants.append(mapping_schema(content_schemas.add_schema(type_name), extra))
    return {"required": True, "content": {"application/json": {"schema": {"oneOf": variants}}}}


def paths():
    node = {"$ref": "#/components/schemas/Node"}
    ballot_param = {"name": "ballot", "in": "path", "required": True, "schema": {"type": "string"}}
    document_param = {"name": "document", "in": "path", "required": True, "schema": {"type": "string"}}
    path_param = [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"},
                   "description": "A node's path, e.g. tianhe/shipai/mingyuan"}]
    return {
        "/@login": {"post": {
            "summary": "Sign in; returns a bearer token",
            "security": [],
            "requestBody": json_body(security_schemas.LoginSchema()),
            "responses": {"200": ok("Signed in", {"type": "object", "properties": {
                "token": {"type": "string"}, "login": {"type": "string"}}}),
                **error_responses(400, 401, 429)}}},
        "/@logout": {"post": {
            "summary": "Sign out: this token, every other token and every session of the account stop working",
            "responses": {"200": ok("Signed out", {"type": "object", "properties": {
                "signed_out": {"type": "boolean"}}})}}},
        "/@password": {"post": {
            "summary": "Change one's password; returns a new token (older ones stop working)",
            "requestBody": json_body(security_schemas.PasswordSchema()),
            "responses": {"200": ok("Changed"), **error_responses(400, 401)}}},
        "/@accounts": {
            "get": {"summary": "Staff accounts (city administrators)",
                    "responses": {"200": ok("The accounts"), **error_responses(401, 403)}},
            "post": {"summary": "Create a staff account",
                     "requestBody": json_body(security_schemas.AccountSchema()),
                     "responses": {"201": ok("Created"), **error_responses(400, 401, 403)}}},
        "/": {"get": {"summary": "The city", "security": [],
                      "responses": {"200": ok("The city and its districts", node)}},
              "post": {"summary": "Create a district", "requestBody": content_create_body(),
                       "responses": {"201": ok("Created", node), **error_responses(400, 401, 403)}}},
        "/{path}": {
            "parameters": path_param,
            "get": {"summary": "A district, street or community, with its items", "security": [],
                    "responses": {"200": ok("The node", node), **error_responses(404)}},
            "post": {"summary": "Create a child (Street in a District, Community in a Street)",
                     "requestBody": content_create_body(),
                     "responses": {"201": ok("Created", node), **error_responses(400, 401, 403)}},
            "patch": {"summary": "Edit a node's fields",
                      "requestBody": {"required": True, "content": {"application/json": {
                          "schema": {"type": "object"}}}},
                      "responses": {"200": ok("Edited", node), **error_responses(400, 401, 403)}}},
        "/{path}/@sharing": {
            "parameters": path_param,
            "get": {"summary": "Roles granted on this node and above",
                    "responses": {"200": ok("Roles"), **error_responses(401, 403)}},
            "post": {"summary": "Grant (or, with action=revoke, revoke) a role on this node",
                     "requestBody": json_body(security_schemas.GrantSchema(), {
                         "action": {"type": "string", "enum": ["grant", "revoke"]}}),
                     "responses": {"200": ok("Roles"), **error_responses(400, 401, 403)}}},
        "/@register": {"post": {
            "summary": "Owner sign-up: {phone} sends a code; {phone, code, password} creates the account",
            "security": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
                mapping_schema(binding_schemas.PhoneSchema()), mapping_schema(binding_schemas.SignupSchema())]}}}},
            "responses": {"200": ok("Code sent"), "201": ok("Account created; a bearer token", {
                "type": "object", "properties": {"token": {"type": "string"}}}), **error_responses(400)}}},
        "/@reset": {"post": {
            "summary": "Password reset by SMS: {phone} sends a code (the same answer whether or not the number "
                       "has an account); {phone, code, new_password} sets the password",
            "security": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
                mapping_schema(binding_schemas.PhoneSchema()), mapping_schema(binding_schemas.ResetSchema())]}}}},
            "responses": {"200": ok("Code sent, or the password set with a new bearer token"),
                          **error_responses(400)}}},
        "/@my": {"get": {"summary": "The caller's bound communities, units and areas",
                         "responses": {"200": ok("Communities")}}},
        "/@face-callback": {"post": {
            "summary": "Face provider callback (server to server), HMAC-signed; accepted once",
            "security": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": list(face.CALLBACK_FIELDS) + ["sig"], "properties": {
                    "request_id": {"type": "string"}, "result": {"type": "string", "enum": ["pass", "fail"]},
                    "timestamp": {"type": "integer"}, "sig": {"type": "string"}}}}}},
            "responses": {"200": ok("Accepted"), "403": ok("Bad signature or stale"), "404": ok("Unknown request"),
                          "409": ok("Already settled"), "410": ok("Expired request")}}},
        "/{path}/@bind": {
            "parameters": path_param,
            "post": {"summary": "Bind the caller's owner account to a community's register "
                                "(method code: binds at once; face: returns the provider URL and form)",
                     "requestBody": json_body(binding_schemas.BindSchema()),
                     "responses": {"200": ok("Bound, or the provider hand-over for face", {
                         "type": "object", "properties": {
                             "bound": {"type": "boolean"}, "provider_url": {"type": "string"},
                             "form": {"type": "object"}, "units": {"type": "array", "items": {"type": "object"}}}}),
                         **error_responses(400, 401, 403, 409)}}},
        "/{path}/@unbind": {
            "parameters": path_param,
            "post": {"summary": "Unbind the caller's account from the community",
                     "responses": {"200": ok("Unbound"), **error_responses(401, 403)}}},
        "/{path}/register/{unit}/@binding-code": {
            "parameters": path_param + [{"name": "unit", "in": "path", "required": True,
                                         "schema": {"type": "string"}}],
            "post": {"summary": "Street staff issue a one-time binding code for an owner of the unit",
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["owner"],
                         "properties": {"owner": {"type": "integer", "description": "0 is the first owner"}}}}}},
                     "responses": {"200": ok("The code (shown once) and its expiry", {
                         "type": "object", "properties": {"code": {"type": "string"},
                                                          "expires": {"type": "string", "format": "date-time"}}}),
                         **error_responses(400, 401, 403)}}},
        "/{path}/ballots": {
            "parameters": path_param,
            "get": {"summary": "A community's ballots the caller may see",
                    "responses": {"200": ok("Ballots")}},
            "post": {"summary": "Draft a ballot (organizers of the community); a matter is a question (the "
                                "default kind), an election (seats, alternates, candidates: ids c1, c2, ... in "
                                "order) or a choice (options: ids o1, o2, ...)",
                     "requestBody": json_body(ballot_schemas.BallotSchema().bind(request=None, buildings=()), {
                         "@type": {"type": "string", "enum": ["Ballot"], "x-required": True}}),
                     "responses": {"201": ok("Created"), **error_responses(400, 401, 403)}}},
        "/{path}/ballots/{ballot}": {
            "parameters": path_param + [ballot_param],
            "get": {"summary": "A ballot: matters of every kind (question; election with seats, alternates, "
                               "candidates and each candidate's eligibility check; choice with options) with "
                               "their rule, election_ranking, window, state, history, frozen electorate, and "
                               "the filing package's links once it exists",
                    "responses": {"200": openapi_kinds.ballot_response(), **error_responses(401, 403, 404)}}},
        "/{path}/ballots/{ballot}/@workflow/{transition}": {
            "parameters": path_param + [ballot_param, {"name": "transition", "in": "path", "required": True,
                                                       "schema": {"type": "string"}}],
            "post": {"summary": "Fire a transition; 409 names the guard that refused (e.g. the notice period)",
                     "requestBody": json_body(ballot_schemas.TransitionSchema()),
                     "responses": {"200": ok("Fired", {"type": "object", "properties": {
                         "review_state": {"type": "string"}, "transition": {"type": "string"}}}),
                         "409": ok("Not possible now, or a guard refused", ERROR), **error_responses(401, 403, 404)}}},
        "/{path}/ballots/{ballot}/@extension": {
            "parameters": path_param + [ballot_param],
            "post": {"summary": "Request a longer voting window (organizer, during voting; at most 30 days in all)",
                     "requestBody": json_body(ballot_schemas.ExtensionSchema()),
                     "responses": {"200": ok("Requested"), "409": ok("Too long", ERROR), **error_responses(401, 403)}}},
        "/{path}/ballots/{ballot}/@extension-approve": {
            "parameters": path_param + [ballot_param],
            "post": {"summary": "Approve and publish the requested extension (street staff)",
                     "responses": {"200": ok("Approved"), "409": ok("Nothing to approve", ERROR),
                                   **error_responses(401, 403)}}},
        "/{path}/ballots/{ballot}/@rooms": {
            "parameters": path_param + [ballot_param, {"name": "list", "in": "query", "required": True,
                                                       "schema": {"type": "string", "enum": ["unbound", "unvoted"]}}],
            "get": {"summary": "Room numbers (only) of unbound or unvoted units, in the list's window; street "
                               "staff, and the organizer once released",
                    "responses": {"200": ok("The rooms", {"type": "object", "properties": {
                        "list": {"type": "string"}, "rooms": {"type": "array", "items": {"type": "string"}},
                        "total": {"type": "integer", "description": "rooms in this list"},
                        "counted_units": {"type": "integer", "description": "units that count in the ballot"}}}),
                        "403": ok("Not now (the message says when) or not released", ERROR),
                        **error_responses(400, 401)}}},
        "/{path}/ballots/{ballot}/@delivery": {
            "parameters": path_param + [ballot_param],
            "get": {"summary": "Proof of delivery: sent / accepted / opened by owners and area, what the channels "
                               "answered; the rooms not reached (room numbers only) for street staff",
                    "responses": {"200": ok("Figures", {"type": "object", "properties": {
                        "figures": {"type": "object"},
                        "unreached_rooms": {"type": "array", "nullable": True, "items": {"type": "string"}}}}),
                        "409": ok("No notice yet", ERROR), **error_responses(401, 403)}}},
        "/{path}/ballots/{ballot}/@candidate-file": {
            "parameters": path_param + [ballot_param],
            "post": {"summary": "The organizer attaches a candidate's photo or résumé to a draft (multipart: "
                                "matter, candidate, file: PDF, PNG or JPEG, at most 5 MB)",
                     "requestBody": {"content": {"multipart/form-data": {"schema": {
                         "type": "object", "properties": {"matter": {"type": "string"}, "candidate": {"type": "string"},
                                                          "file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"201": ok("Attached", {"type": "object", "properties": {
                         "candidate": {"type": "string"}, "filename": {"type": "string"}}}),
                         **error_responses(400, 401, 403)}},
            "get": {"summary": "A candidate's photo or résumé", "parameters": [
                {"name": "matter", "in": "query", "schema": {"type": "string"}},
                {"name": "candidate", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The file"}, **error_responses(401, 403, 404)}}},
        "/{path}/ballots/{ballot}/@record": {
            "parameters": path_param + [ballot_param],
            "get": {"summary": "The vote record after the final disclosure: one line per household that voted "
                               "(vote id from its receipt, area, channel, marks), no rooms or names",
                    "responses": {"200": ok("The record", {"type": "object", "properties": {
                        "total_owners": {"type": "integer"}, "total_area": {"type": "string"},
                        "matters": {"type": "array", "items": {"type": "object"}},
                        "votes": {"type": "array", "items": {"type": "object", "properties": {
                            "vote_id": {"type": "string"}, "area": {"type": "string"},
                            "channel": {"type": "string"}, "marks": {"type": "object"}}}}}}),
                        **error_responses(401, 403)}}},
        "/{path}/ballots/{ballot}/@remind": {
            "parameters": path_param + [ballot_param],
            "post": {"summary": "Street staff: queue an approved reminder to the owners who have not voted",
                     "requestBody": json_body(ReminderSchema()),
                     "responses": {"200": ok("Queued", {"type": "object", "properties": {
                         "queued": {"type": "integer"}, "template": {"type": "string"}}}),
                         "409": ok("Not while voting is closed", ERROR), **error_responses(400, 401, 403)}}},
        "/@reminders": {
            "get": {"summary": "The signed-in owner's reminder setting",
                    "responses": {"200": ok("Setting", {"type": "object", "properties": {
                        "reminders": {"type": "string", "enum": ["on", "off"]}}}), **error_responses(401)}},
            "post": {"summary": "Turn reminders on or off (legal notices are always sent)",
                     "requestBody": json_body(ReminderSettingSchema()),
                     "responses": {"200": ok("Saved", {"type": "object", "properties": {
                         "reminders": {"type": "string"}}}), **error_responses(400, 401)}}},
        "/{path}/ballots/{ballot}/@vote": {
            "parameters": path_param + [ballot_param, {"name": "Idempotency-Key", "in": "header", "required": False,
                                                       "schema": {"type": "string"}}],
            "post": {"summary": "Vote on every matter; a retry with the same Idempotency-Key returns the same receipt",
                     "requestBody": openapi_kinds.vote_body(),
                     "responses": {"200": ok("Recorded", {"type": "object", "properties": {
                         "receipt": {"type": "string"}, "owners": {"type": "integer"}}}),
                         "409": ok("Voted already, or not open", ERROR), **error_responses(400, 401, 403)}}},
        "/{path}/ballots/{ballot}/@progress": {
            "parameters": path_param + [ballot_param],
            "get": {"summary": "Owners who voted and their area against the totals (areas as decimal m² strings)",
                    "responses": {"200": ok("Progress", {"type": "object", "properties": {
                        name: {"type": "integer" if "owners" in name else "string"} for name in (
                            "voted_owners", "voted_area", "total_owners", "total_area", "quorum_owners",
                            "quorum_area")}}), **error_responses(401, 403)}}},
        "/{path}/ballots/{ballot}/@results": {
            "parameters": path_param + [ballot_param],
            "get": {"summary": "Per matter, by kind: a question's agree/oppose/abstain, quorum_met, passed; an "
                               "election's candidates (rank, elected, alternate), void ballots, unfilled seats, "
                               "ties; a choice's options and the adopted one; and the follow-the-majority result",
                    "responses": {"200": openapi_kinds.results_response(), **error_responses(401, 403)}}},
        "/{path}/ballots/{ballot}/@receipt": {
            "parameters": path_param + [ballot_param, {"name": "code", "in": "query", "required": True,
                                                       "schema": {"type": "string"}}],
            "get": {"summary": "What was recorded for the caller under a receipt code",
                    "responses": {"200": ok("The recorded choices"), **error_responses(401, 404)}}},
        "/{path}/documents": {
            "parameters": path_param,
            "get": {"summary": "A community's filed documents the caller may read",
                    "responses": {"200": ok("Documents")}},
            "post": {"summary": "File a document (district staff): multipart form with the file",
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["doc_type", "title", "filing_number", "filing_date", "file"],
                         "properties": {"doc_type": {"type": "string"}, "title": {"type": "string"},
                                        "filing_number": {"type": "string"},
                                        "filing_date": {"type": "string", "format": "date"},
                                        "notes": {"type": "string"},
                                        "file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"201": ok("Filed"), **error_responses(400, 401, 403)}}},
        "/{path}/documents/{document}": {
            "parameters": path_param + [document_param],
            "get": {"summary": "A filed document: type, filing number and date, versions",
                    "responses": {"200": ok("The document"), **error_responses(401, 403, 404)}}},
        "/{path}/documents/{document}/@file": {
            "parameters": path_param + [document_param, {"name": "v", "in": "query", "required": False,
                                                         "schema": {"type": "integer"}}],
            "get": {"summary": "The current file (or version v), inline; ?download=1 to save it",
                    "responses": {"200": {"description": "The file", "content": {
                        "application/pdf": {}, "image/png": {}, "image/jpeg": {}}}, **error_responses(403, 404)}}},
        "/{path}/documents/{document}/@workflow/{transition}": {
            "parameters": path_param + [document_param, {"name": "transition", "in": "path", "required": True,
                                                         "schema": {"type": "string"}}],
            "post": {"summary": "Publish or withdraw (with a reason) a filed document",
                     "requestBody": json_body(ballot_schemas.TransitionSchema()),
                     "responses": {"200": ok("Fired"), "409": ok("Refused", ERROR), **error_responses(401, 403)}}},
        "/{path}/@search": {
            "parameters": path_param + [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}],
            "get": {"summary": "Search notices and filed documents at or below a node (Chinese substrings), "
                               "only what the caller may see", "security": [],
                    "responses": {"200": ok("Hits")}}},
        "/{path}/@notices": {
            "parameters": path_param,
            "get": {"summary": "Published ballot notices at or below a node (public, no personal data)",
                    "security": [], "responses": {"200": ok("Notices")}}},
        "/@clock": {"post": {
            "summary": "Set the portal's demo time (only with portal.clock_override; city administrators)",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"now": {"type": "string", "format": "date-time", "nullable": True,
                                                         "description": "null returns to real time"}}}}}},
            "responses": {"200": ok("The portal's now"), **error_responses(400, 403, 404)}}},
        "/{path}/@statistics": {
            "parameters": path_param,
            "get": {"summary": "Register coverage at or below a node (public)", "security": [],
                    "responses": {"200": ok("Figures and the timeline")}}},
        "/{path}/register": {
            "parameters": path_param,
            "get": {"summary": "A community's register: totals (area as decimal m² strings), gaps, units",
                    "responses": {"200": ok("The register"), **error_responses(401, 403)}}},
        "/{path}/register/@import": {
            "parameters": path_param + [{"name": "dry_run", "in": "query", "required": False,
                                         "schema": {"type": "boolean"},
                                         "description": "only report what would change"}],
            "post": {"summary": "Import the whole register, all or nothing (district staff)",
                     "requestBody": {"required": True, "content": {
                         "multipart/form-data": {"schema": {"type": "object", "properties": {
                             "file": {"type": "string", "format": "binary"}}}},
                         "text/csv": {"schema": {"type": "string"}},
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                             "schema": {"type": "string", "format": "binary"}}}},
                     "responses": {"200": ok("Applied (or, with dry_run, previewed)", {
                         "type": "object", "properties": {
                             "applied": {"type": "boolean"}, "rows": {"type": "integer"},
                             "added": {"type": "array", "items": {"type": "string"}},
                             "changed": {"type": "array", "items": {"type": "string"}},
                             "removed": {"type": "array", "items": {"type": "string"}},
                             "unchanged": {"type": "integer"},
                             "gaps": {"type": "object", "additionalProperties": {"type": "integer"},
                                      "description": "units imported with facts to fill in, by gap kind "
                                                     "(no_owner, no_area, bad_id, id_conflict)"}}}),
                         "400": ok("Nothing imported; every bad row listed", {
                             "allOf": [ERROR, {"type": "object", "properties": {"rows": {
                                 "type": "array", "items": {"type": "object", "properties": {
                                     "row": {"type": "integer"}, "column": {"type": "string"},
                                     "column_title": {"type": "string", "description": "as the template names it"},
                                     "room": {"type": "string"},
                                     "value": {"type": "string", "description": "personal columns masked"},
                                     "message": {"type": "string"}}}}}}]}),
                         **error_responses(401, 403)}}},
        "/{path}/register/{unit}": {
            "parameters": path_param + [{"name": "unit", "in": "path", "required": True,
                                         "schema": {"type": "string"}}],
            "get": {"summary": "One unit with its owners (ID numbers and phones masked)",
                    "responses": {"200": ok("The unit"), **error_responses(401, 403, 404)}}},
    }


def components():
    return {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error", "message"], "properties": {
                "error": {"type": "string"}, "message": {"type": "string"},
                "errors": {"type": "object", "additionalProperties": {"type": "string"}}}},
            "Node": {"type": "object", "required": ["@id", "@type", "title"], "properties": {
                "@id": {"type": "string"}, "@type": {"type": "string"}, "id": {"type": "string"},
                "title": {"type": "string"},
                "items": {"type": "array", "items": {"type": "object"}},
                "items_total": {"type": "integer"}}},
        },
    }


def all_paths():
    ballot_param = {"name": "ballot", "in": "path", "required": True, "schema": {"type": "string"}}
    path_param = [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"},
                   "description": "A node's path, e.g. tianhe/shipai/mingyuan"}]
    return {**paths(), **openapi_kinds.paths(path_param, ballot_param),
            **openapi_paper.paths(path_param + [ballot_param]), **openapi_desks.paths(path_param),
            **openapi_binding.paths(path_param)}


def description(server_url):
    return {
        "openapi": "3.0.3",
        "info": {"title": "Owners' decision e-voting portal", "version": "1", "description": BUSY},
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": all_paths(),
        "components": components(),
    }


@view_config(context=Portal, name="openapi.json", renderer="json")
def openapi(context, request):
    return description(request.application_url)
