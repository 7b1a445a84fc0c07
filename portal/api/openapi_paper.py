"""The OpenAPI paths of the paper count and of written proxies: the count record and its
reconciliation, the blind second entry, resolving a mismatch, batch approval, the correction an
upheld objection leads to, and entering a written proxy.  Request bodies are read off the colander
schemas the views validate with; answers never carry a name."""
from portal.api.openapi_kinds import PAPER, VOTES, body, errors, obj, ok
from portal.paper.schemas import batch_schema, correct_schema, count_schema, resolve_schema

INT = {"type": "integer"}
RECONCILIATION = obj({name: {"type": "integer", "nullable": name in ("issued", "returned", "unreturned")}
                      for name in ("issued", "returned", "entered", "approved", "rejected", "void", "superseded",
                                   "replaced", "pending", "mismatched", "proxies", "unreturned")}
                     | {"problems": {"type": "array", "items": {"type": "string"}}})
COUNT = obj({"count": obj({"issued": INT, "returned": INT, "second_entry": {"type": "boolean"},
                           "counters": INT, "supervisors": INT}),
             "reconciliation": RECONCILIATION})


def paths(params):
    return {
        "/{path}/ballots/{ballot}/@paper-count": {"parameters": params, "get": {
            "summary": "The paper count record (how many counters and supervisors, never their names) and the "
                       "reconciliation: issued, returned, entered, approved, rejected, void, superseded by an "
                       "electronic vote, pending (organizer, street staff)",
            "responses": {"200": ok("Count record", COUNT), **errors(401, 403)}}, "post": {
            "summary": "The organizer opens or updates the count record: ballots issued and returned, a second entry "
                       "of every ballot, counters and supervisors by their rooms (owners who are not candidates); "
                       "more returned than issued is refused",
            "requestBody": body(count_schema()),
            "responses": {"200": ok("Saved", COUNT), **errors(400, 401, 403)}}},
        "/{path}/ballots/{ballot}/@paper-second": {"parameters": params, "post": {
            "summary": "The second, blind entry of a paper ballot's marks by another member of the organizer; "
                       "different marks flag a mismatch, which is not counted until the street office resolves it",
            "requestBody": {"required": True, "content": {"application/json": {"schema": obj(
                {"id": {"type": "string"}, "votes": VOTES}, ["id", "votes"])}}},
            "responses": {"200": ok("Entered again", PAPER), **errors(400, 401, 403, 404, 409)}}},
        "/{path}/ballots/{ballot}/@paper-resolve": {"parameters": params, "post": {
            "summary": "The street office (not one of the two who entered it) says which entry the scan shows",
            "requestBody": body(resolve_schema()),
            "responses": {"200": ok("Resolved, awaiting review", PAPER), **errors(400, 401, 403, 404, 409)}}},
        "/{path}/ballots/{ballot}/@paper-batch": {"parameters": params, "post": {
            "summary": "Street staff approve several checked entries; each goes through every rule of a single "
                       "review, and a refused one says why",
            "requestBody": body(batch_schema()),
            "responses": {"200": ok("Each entry's outcome", obj({"items": {"type": "array", "items": obj({
                "id": {"type": "string"}, "state": {"type": "string"}, "error": {"type": "string"}})}})),
                **errors(400, 401, 403, 404)}}},
        "/{path}/ballots/{ballot}/@paper-correct": {"parameters": params, "post": {
            "summary": "During the objection period, street staff review a rejected paper ballot again and count "
                       "it, as the correction of an upheld objection (its number and the reason are recorded)",
            "requestBody": body(correct_schema()),
            "responses": {"200": ok("Corrected", PAPER), **errors(400, 401, 403, 404, 409)}}},
        "/{path}/ballots/{ballot}/@proxy": {"parameters": params, "post": {
            "summary": "Enter a written proxy (委托投票) where the ballot accepts them: the unit, the directed votes as "
                       "JSON text, the proxy's name (kept encrypted, never answered) and the scan of the signed "
                       "authorisation; street staff review it like a paper ballot; the owner's own electronic vote "
                       "prevails",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": obj({
                "unit": {"type": "string"}, "votes": {"type": "string", "description": "JSON text"},
                "proxy_name": {"type": "string"},
                "scan": {"type": "string", "format": "binary", "description": "PDF, PNG or JPEG, at most 5 MB"}},
                ["unit", "votes", "proxy_name", "scan"])}}},
            "responses": {"201": ok("Entered, awaiting review", PAPER), **errors(400, 401, 403, 409)}}},
    }
