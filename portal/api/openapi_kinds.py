"""The OpenAPI paths of elections, choices and what goes with them: the vote body's three mark
shapes, results per kind of matter, candidate checks, paper ballots, objections and the filing
package.  Request bodies are read off the colander schemas the views validate with, as in
``portal.api.openapi``; this module only adds its paths there."""
from portal.api.schema_json import mapping_schema
from portal.ballots.candidate_views import CandidateCheckSchema
from portal.objections.views import AnswerSchema, ObjectionSchema
from portal.paper.schemas import review_schema

ERROR = {"$ref": "#/components/schemas/Error"}
MARK = {"type": "string", "enum": ["agree", "oppose", "abstain"]}
AREA = {"type": "string", "description": "m², a decimal string"}
OWNERS = {"type": "integer"}


def errors(*codes):
    text = {400: "Invalid input", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
            409: "Not possible in this state"}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": ERROR}}} for c in codes}


def ok(description, schema=None, media="application/json"):
    response = {"description": description}
    if schema is not None:
        response["content"] = {media: {"schema": schema}}
    return response


def body(schema):
    return {"required": True, "content": {"application/json": {"schema": mapping_schema(schema)}}}


def obj(properties, required=()):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def figures(*prefixes):
    return {f"{p}_{unit}": (OWNERS if unit == "owners" else AREA) for p in prefixes for unit in ("owners", "area")}


VOTES = {"type": "object", "description": (
    "One mark per matter id. A question: agree | oppose | abstain. An election: {candidate id: agree | "
    "oppose | abstain}, unmarked candidates abstain, at most `seats` agrees (on paper more are taken and "
    "the matter counts as void). A choice: one option id (o1, o2, ...) or abstain."),
    "additionalProperties": {"anyOf": [
        {"title": "question", **MARK},
        {"title": "election", "type": "object", "additionalProperties": MARK},
        {"title": "choice", "type": "string", "pattern": "^(o[0-9]{1,2}|abstain)$"}]}}

QUESTION_RESULT = obj({"id": {"type": "string"}, "kind": {"type": "string", "enum": ["question"]},
                       "category": {"type": "integer"}, "rule": {"type": "string"},
                       **figures("total", "participating", "agree", "oppose", "abstain"),
                       "quorum_met": {"type": "boolean"}, "passed": {"type": "boolean"}}, ["id", "kind"])
CANDIDATE_RESULT = obj({"id": {"type": "string"}, "name": {"type": "string"},
                        **figures("agree", "oppose", "abstain"), "qualified": {"type": "boolean"},
                        "rank": {"type": "integer", "nullable": True,
                                 "description": "null when not qualified; tied candidates share a rank"},
                        "elected": {"type": "boolean"}, "alternate": {"type": "boolean"}})
ELECTION_RESULT = obj({"id": {"type": "string"}, "kind": {"type": "string", "enum": ["election"]},
                       "category": {"type": "integer"}, "seats": {"type": "integer"},
                       "alternates": {"type": "integer"},
                       "ranking": {"type": "string", "enum": ["owners_first", "area_first"]},
                       **figures("total", "participating", "void"), "quorum_met": {"type": "boolean"},
                       "candidates": {"type": "array", "items": CANDIDATE_RESULT},
                       "unfilled_seats": {"type": "integer"},
                       "tied": {"type": "array", "items": {"type": "string"},
                                "description": "candidate ids tied across the last seat"},
                       "tied_alternates": {"type": "array", "items": {"type": "string"}}}, ["id", "kind"])
CHOICE_RESULT = obj({"id": {"type": "string"}, "kind": {"type": "string", "enum": ["choice"]},
                     "category": {"type": "integer"}, "rule": {"type": "string"},
                     **figures("total", "participating", "abstain"), "quorum_met": {"type": "boolean"},
                     "options": {"type": "array", "items": obj({
                         "id": {"type": "string"}, "title": {"type": "string"}, "owners": OWNERS, "area": AREA,
                         "adopted": {"type": "boolean"}})},
                     "adopted": {"type": "string", "nullable": True,
                                 "description": "the adopted option's id, or null"}}, ["id", "kind"])
MATTER_RESULTS = {"type": "array", "items": {"oneOf": [QUESTION_RESULT, ELECTION_RESULT, CHOICE_RESULT],
                                             "discriminator": {"propertyName": "kind"}}}
PAPER = obj({"id": {"type": "string"}, "kind": {"type": "string", "enum": ["paper", "proxy"]}, "unit": {"type": "string"},
             "state": {"type": "string", "enum": ["second_entry", "mismatch", "pending", "approved", "rejected",
                                                  "flagged"]},
             "reason": {"type": "string"}, "entered_at": {"type": "string", "format": "date-time"},
             "reviewed_at": {"type": "string", "format": "date-time", "nullable": True},
             "matters": {"type": "array", "items": obj({"id": {"type": "string"}, "title": {"type": "string"},
                                                        "mark": {}})},
             "scan": {"type": "string"}}, ["id", "state"])
OBJECTION = obj({"id": {"type": "integer"}, "matter": {"type": "string", "nullable": True},
                 "text": {"type": "string"}, "status": {"type": "string"},
                 "filed": {"type": "string", "format": "date-time"},
                 "attachment": {"type": "string", "nullable": True},
                 "answers": {"type": "array", "items": obj({"role": {"type": "string"}, "text": {"type": "string"},
                                                            "when": {"type": "string"}})},
                 "decision": {"type": "string", "nullable": True}, "correction": {"type": "string"}})


CHECK = obj({"eligible": {"type": "boolean", "nullable": True}, "note": {"type": "string"},
             "when": {"type": "string", "format": "date-time", "nullable": True}})
MATTER = obj({"id": {"type": "string"}, "kind": {"type": "string", "enum": ["question", "election", "choice"]},
              "title": {"type": "string"}, "text": {"type": "string"}, "category": {"type": "integer"},
              "rule": {"type": "string"}, "seats": {"type": "integer"}, "alternates": {"type": "integer"},
              "candidates": {"type": "array", "items": obj({
                  "id": {"type": "string"}, "name": {"type": "string"}, "statement": {"type": "string"},
                  "check": CHECK})},
              "options": {"type": "array", "items": obj({"id": {"type": "string"}, "title": {"type": "string"},
                                                         "text": {"type": "string"}})}}, ["id", "kind"])
BALLOT = obj({"@id": {"type": "string"}, "id": {"type": "string"}, "title": {"type": "string"},
              "review_state": {"type": "string"}, "phase": {"type": "string"},
              "election_ranking": {"type": "string", "enum": ["owners_first", "area_first"]},
              "matters": {"type": "array", "items": MATTER},
              "filing": {"type": "object", "nullable": True, "properties": {
                  "pdf": {"type": "string"}, "zip": {"type": "string"}},
                  "description": "links to the filing package, for those who may read it"}})


def ballot_response():
    return ok("The ballot", BALLOT)


def vote_body():
    return {"required": True, "content": {"application/json": {"schema": obj({"votes": VOTES}, ["votes"])}}}


def results_response():
    return ok("Results per matter, by kind", obj({"matters": MATTER_RESULTS, "follow_majority": {
        "type": "array", "nullable": True, "items": {"type": "object"}}}))


def paths(path_param, ballot_param):
    params = path_param + [ballot_param]
    number = {"name": "n", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    objection_form = mapping_schema(ObjectionSchema())
    objection_form["properties"]["attachment"] = {"type": "string", "format": "binary"}
    return {
        "/{path}/ballots/{ballot}/@candidates": {"parameters": params, "post": {
            "summary": "Street staff record a candidate's eligibility check while the ballot is submitted or "
                       "approved; the ballot's JSON shows each candidate's check",
            "requestBody": body(CandidateCheckSchema()),
            "responses": {"200": ok("The check", obj({"matter": {"type": "string"}, "candidate": {"type": "string"},
                                                      "eligible": {"type": "boolean"}, "note": {"type": "string"},
                                                      "when": {"type": "string"}})),
                          **errors(400, 401, 403, 409)}}},
        "/{path}/ballots/{ballot}/@paper": {"parameters": params, "get": {
            "summary": "The ballot's paper ballots with their state and marks, each matter named (organizer, "
                       "street staff)",
            "responses": {"200": ok("Paper ballots", obj({"items": {"type": "array", "items": PAPER}})),
                          **errors(401, 403)}}, "post": {
            "summary": "Enter a paper ballot: the unit, the votes as the JSON text of an electronic vote, the scan",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": obj({
                "unit": {"type": "string"}, "votes": {"type": "string", "description": "JSON text: " +
                                                      VOTES["description"]},
                "scan": {"type": "string", "format": "binary", "description": "PDF, PNG or JPEG, at most 5 MB"}},
                ["unit", "votes", "scan"])}}},
            "responses": {"201": ok("Entered, awaiting review", PAPER), **errors(400, 401, 403, 409)}}},
        "/{path}/ballots/{ballot}/@paper-review": {"parameters": params, "post": {
            "summary": "Street staff approve a paper ballot (it counts like an electronic vote) or reject it "
                       "with a reason",
            "requestBody": body(review_schema()),
            "responses": {"200": ok("Reviewed", PAPER), **errors(400, 401, 403, 404, 409)}}},
        "/{path}/ballots/{ballot}/@objections": {"parameters": params, "get": {
            "summary": "Objections to the preliminary results (an owner sees their own while the period runs; "
                       "staff see all; after the final disclosure everyone who may read the results)",
            "responses": {"200": ok("Objections", obj({"items": {"type": "array", "items": OBJECTION}})),
                          **errors(401, 403)}}, "post": {
            "summary": "File an objection during the objection period (owners); JSON, or multipart with an "
                       "attachment",
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": mapping_schema(ObjectionSchema())},
                "multipart/form-data": {"schema": objection_form}}},
            "responses": {"201": ok("Filed", OBJECTION), **errors(400, 401, 403, 409)}}},
        "/{path}/ballots/{ballot}/@objections/{n}/@answer": {"parameters": params + [number], "post": {
            "summary": "The organizer or the street office answers; the street office decides upheld / not upheld",
            "requestBody": body(AnswerSchema()),
            "responses": {"200": ok("Answered", OBJECTION), **errors(400, 401, 403, 404, 409)}}},
        "/{path}/ballots/{ballot}/@filing.pdf": {"parameters": params, "get": {
            "summary": "The filing package as one PDF (after the final disclosure)",
            "responses": {"200": ok("PDF", {"type": "string", "format": "binary"}, "application/pdf"),
                          **errors(401, 403)}}},
        "/{path}/ballots/{ballot}/@filing.zip": {"parameters": params, "get": {
            "summary": "The filing package with its attachments as a ZIP (after the final disclosure)",
            "responses": {"200": ok("ZIP", {"type": "string", "format": "binary"}, "application/zip"),
                          **errors(401, 403)}}},
    }
