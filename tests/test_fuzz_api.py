"""Every JSON endpoint of /openapi.json, driven by schemathesis (hypothesis underneath): requests
that fit the description and requests that do not, each field also given bad values from the
corpus and whole bodies no decoder should choke on, sent as every role.  Never a 5xx; every 4xx
has a message and wrote nothing.  ``FUZZ_EXAMPLES=500`` for the long run."""
import json
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from portal.api.openapi import description
from tests.conftest import browser, token_for
from tests.support.fuzzing import ROLES, bad_bodies, bad_values, check_answer, fuzz_settings

COMMUNITY = "tianhe/shipai/mingyuan"
BALLOT = "b2"
# Refusals that are meant to be recorded: a failed sign-in counts toward the throttle, a refused
# sign-up code counts its tries, a face callback for an expired request marks it expired.
WRITES_OK = {"POST /@login": {(401, "login_failed"), (429, "login_failed")},
             "POST /@register": {(400, "refused")},
             "POST /@face-callback": {(410, None)},
             f"POST /{COMMUNITY}/@bind": {(403, "not_bound")}}


def concrete(raw):
    """The description with the community and the voting ballot filled in for {path} and {ballot}
    (a traversal path cannot be one percent-encoded parameter)."""
    paths = {}
    for path, item in raw["paths"].items():
        item = json.loads(json.dumps(item))
        for holder in [item] + [op for op in item.values() if isinstance(op, dict)]:
            if "parameters" in holder:
                holder["parameters"] = [p for p in holder["parameters"]
                                        if not (p["in"] == "path" and p["name"] in ("path", "ballot"))]
        paths[path.replace("{path}", COMMUNITY).replace("{ballot}", BALLOT)] = item
    return dict(raw, paths=paths)


SCHEMA = schemathesis.openapi.from_dict(concrete(json.loads(json.dumps(description("http://localhost")))))
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


def request_of(case):
    """(method, url, body, content type) of a schemathesis case, for WebTest."""
    kwargs = case.as_transport_kwargs(base_url="http://localhost")
    url = kwargs["url"].replace("http://localhost", "")
    if kwargs.get("params"):
        url += "?" + urlencode(kwargs["params"], doseq=True)
    content_type = case.media_type or "application/json"
    if "json" in kwargs:
        body = json.dumps(kwargs["json"]).encode("utf-8")
    elif isinstance(kwargs.get("data"), (bytes, str)):
        body = kwargs["data"] if isinstance(kwargs["data"], bytes) else kwargs["data"].encode("utf-8")
    elif isinstance(kwargs.get("data"), dict) or kwargs.get("files"):
        fields = dict(kwargs.get("data") or {})
        files = kwargs.get("files") or {}
        for name, value in (files.items() if isinstance(files, dict) else files):
            fields[name] = value if isinstance(value, str) else repr(value)[:1000]   # a string for a file
        body, content_type = urlencode(fields, doseq=True).encode("utf-8"), "application/x-www-form-urlencoded"
    else:
        body = b""
    headers = {k: v for k, v in (case.headers or {}).items() if isinstance(v, str) and v.isascii() and v.isprintable()}
    return case.method.upper(), url, body, content_type, headers


def with_bad_field(body, field, value):
    """``body`` (JSON bytes) with one field set to a corpus value, when the body is an object."""
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return body
    if not isinstance(data, dict):
        return body
    data[field] = value
    return json.dumps(data, allow_nan=True).encode("utf-8")


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_json_endpoint_answers_5xx(app, db, portal_in, label):
    operation = OPERATIONS[label]
    with portal_in() as portal:
        unit = next(iter(portal["tianhe"]["shipai"]["mingyuan"]["register"].values())).__name__
    clients = {}
    for role in ROLES:
        client = browser(app)
        headers = {"Accept": "application/json"}
        if role:
            headers["Authorization"] = "Bearer " + token_for(client, role)
        clients[role] = (client, headers)
    params = {"unit": unit} if "{unit}" in operation.path else None
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=params),
                      operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=params))
    fields = st.sampled_from(sorted((operation.definition.raw.get("requestBody", {}).get("content", {})
                                     .get("application/json", {}).get("schema", {}).get("properties", {}))
                                    or ["x"]))

    @fuzz_settings()
    @given(case=cases, field=fields, value=bad_values, body=bad_bodies, variant=st.sampled_from("cfb"))
    def run(case, field, value, body, variant):
        method, url, sent, content_type, extra = request_of(case)
        if variant == "f" and method != "GET":
            sent = with_bad_field(sent, field, value)
        elif variant == "b" and method != "GET":
            sent, content_type = body, "application/json"
        for role, (client, headers) in clients.items():
            before = db.lastTransaction()
            res = client.request(url, method=method, body=sent, expect_errors=True,
                                 headers=dict(extra, **headers, **{"Content-Type": content_type}))
            check_answer(res, db, before, f"{role or 'anonymous'} {method} {url} {sent[:200]!r}",
                         WRITES_OK.get(label, ()))

    run()
