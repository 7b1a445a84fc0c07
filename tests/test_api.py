"""The tree as JSON on the same URLs, and the OpenAPI description."""
import pytest


def test_get_a_node_as_json(api):
    client, headers = api()
    res = client.get("/tianhe/shipai", headers=headers)
    assert res.content_type == "application/json"
    data = res.json
    assert data["@id"] == "http://localhost/tianhe/shipai"
    assert data["@type"] == "Street" and data["title"] == "石牌街道"
    assert {"@id": "http://localhost/tianhe/shipai/mingyuan", "@type": "Community", "id": "mingyuan",
            "title": "明苑小区"} in data["items"]
    assert data["items_total"] == 2


def test_the_root_lists_the_districts_and_batches(api):
    client, headers = api()
    data = client.get("/", {"size": 4}, headers=headers).json
    assert data["@type"] == "Portal" and data["items_total"] == 11
    assert len(data["items"]) == 4
    following = client.get(data["batching"]["next"], headers=headers).json
    assert following["items"][0]["id"] not in [i["id"] for i in data["items"]]


def test_a_browser_gets_html_on_the_same_url(anon):
    assert anon.get("/tianhe/", headers={"Accept": "text/html,*/*"}).content_type == "text/html"
    assert anon.get("/tianhe/").content_type == "text/html"


def test_create_each_level(api, portal_in):
    client, headers = api("admin")
    client.post_json("/", {"@type": "District", "id": "newd", "title": "新区", "code": "440199"},
                     headers=headers, status=201)
    client.post_json("/newd", {"@type": "Street", "id": "news", "title": "新街道", "kind": "town"},
                     headers=headers, status=201)
    res = client.post_json("/newd/news", {"@type": "Community", "id": "newc", "title": "新小区",
                                          "address": "新路1号"}, headers=headers, status=201)
    assert res.headers["Location"] == "http://localhost/newd/news/newc/"
    with portal_in() as portal:
        assert portal["newd"]["news"].kind == "town"
        assert portal["newd"]["news"]["newc"].address == "新路1号"


@pytest.mark.parametrize("body, field", [
    ({"@type": "Community", "id": "mingyuan", "title": "重复", "address": "x"}, "id"),
    ({"@type": "Community", "id": "Bad Slug", "title": "x", "address": "x"}, "id"),
    ({"@type": "Community", "id": "fine", "title": "", "address": "x"}, "title"),
    ({"@type": "Community", "id": "fine", "title": "x"}, "address"),
])
def test_bad_input_is_a_400_naming_the_field(api, portal_in, body, field):
    client, headers = api("street")
    res = client.post_json("/tianhe/shipai", body, headers=headers, status=400)
    assert res.json["error"] == "invalid" and field in res.json["errors"]
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]) == 2


def test_an_unknown_type_is_refused(api):
    client, headers = api("street")
    res = client.post_json("/tianhe/shipai", {"@type": "Ballot", "id": "x", "title": "x"},
                           headers=headers, status=400)
    assert res.json["error"] == "unknown_type"
    assert "Ballot" in res.json["message"]


def test_a_body_that_is_not_json_is_refused(api):
    client, headers = api("street")
    res = client.post("/tianhe/shipai", "not json", headers=dict(headers, **{"Content-Type": "application/json"}),
                      status=400)
    assert res.json["error"] == "bad_request"


def test_creating_outside_ones_subtree_is_forbidden(api):
    client, headers = api("street")
    res = client.post_json("/tianhe/linhe", {"@type": "Community", "id": "x", "title": "x", "address": "x"},
                           headers=headers, status=403)
    assert res.json == {"error": "forbidden", "message": "您无权在此进行该操作。"}
    anonymous, plain = api()
    res = anonymous.post_json("/tianhe/shipai", {"@type": "Community"}, headers=plain, status=401)
    assert res.json["error"] == "unauthorized"


def test_edit_with_patch(api, portal_in):
    client, headers = api("street")
    res = client.patch_json("/tianhe/shipai/mingyuan", {"property_company": "新物业"}, headers=headers)
    assert res.json["property_company"] == "新物业"
    assert res.json["address"] == "天河区石牌明苑路1号"
    client.patch_json("/tianhe/shipai/mingyuan", {"title": ""}, headers=headers, status=400)


def test_errors_in_english_when_asked(api):
    client, headers = api("street")
    client.set_cookie("_LOCALE_", "en")
    res = client.post_json("/tianhe/shipai", {"@type": "Community", "id": "fine", "title": "x"},
                           headers=headers, status=400)
    assert res.json["errors"]["address"] == "Required"


def test_not_found_is_json_for_the_api(api):
    client, headers = api()
    assert client.get("/nowhere", headers=headers, status=404).json["error"] == "not_found"


def test_the_openapi_description_is_valid_and_covers_the_api(anon):
    from openapi_spec_validator import validate

    spec = anon.get("/openapi.json").json
    validate(spec)
    for path in ("/@login", "/@password", "/@accounts", "/", "/{path}", "/{path}/@sharing", "/{path}/@audit",
                 "/{path}/@statistics", "/{path}/register", "/{path}/register/@import", "/{path}/register/{unit}",
                 "/@register", "/{path}/@bind", "/@face-callback", "/{path}/@unbind",
                 "/{path}/register/{unit}/@binding-code", "/{path}/ballots", "/{path}/ballots/{ballot}",
                 "/{path}/ballots/{ballot}/@workflow/{transition}", "/{path}/@notices", "/@clock",
                 "/{path}/documents", "/{path}/documents/{document}", "/{path}/documents/{document}/@file",
                 "/{path}/@search", "/{path}/ballots/{ballot}/@rooms", "/{path}/ballots/{ballot}/@vote",
                 "/{path}/ballots/{ballot}/@progress", "/{path}/ballots/{ballot}/@results",
                 "/{path}/ballots/{ballot}/@receipt"):
        assert path in spec["paths"]
    community = spec["paths"]["/{path}"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    names = [set(v["properties"]) for v in community["oneOf"]]
    assert any({"@type", "id", "title", "address", "property_company"} <= n for n in names)


def test_the_openapi_description_covers_elections_choices_paper_and_objections(anon):
    spec = anon.get("/openapi.json").json
    ballot = "/{path}/ballots/{ballot}"
    for name in ("@candidates", "@paper", "@paper-review", "@objections", "@objections/{n}/@answer",
                 "@filing.pdf", "@filing.zip"):
        assert f"{ballot}/{name}" in spec["paths"], name
    paths = spec["paths"]
    assert set(paths[f"{ballot}/@paper"]) >= {"get", "post"}
    paper_form = paths[f"{ballot}/@paper"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert paper_form["required"] == ["unit", "votes", "scan"] and paper_form["properties"]["scan"]["format"] == "binary"
    review = paths[f"{ballot}/@paper-review"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert review["properties"]["decision"]["enum"] == ["approve", "reject"] and set(review["required"]) == {"id", "decision"}
    votes = paths[f"{ballot}/@vote"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    shapes = votes["properties"]["votes"]["additionalProperties"]["anyOf"]
    assert [s["type"] for s in shapes] == ["string", "object", "string"]
    assert shapes[1]["additionalProperties"]["enum"] == ["agree", "oppose", "abstain"]
    draft = paths["/{path}/ballots"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    matter = draft["properties"]["matters"]["items"]
    assert {"kind", "seats", "alternates", "candidates", "options"} <= set(matter["properties"])
    assert draft["properties"]["election_ranking"]["enum"] == ["owners_first", "area_first"]
    results = paths[f"{ballot}/@results"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    question, election, choice = results["properties"]["matters"]["items"]["oneOf"]
    assert {"seats", "participating_owners", "participating_area", "void_owners", "void_area", "quorum_met",
            "candidates", "unfilled_seats", "tied"} <= set(election["properties"])
    assert {"id", "name", "agree_owners", "agree_area", "oppose_owners", "oppose_area", "abstain_owners",
            "abstain_area", "qualified", "rank", "elected", "alternate"} == set(
        election["properties"]["candidates"]["items"]["properties"])
    assert {"total_owners", "total_area", "participating_owners", "participating_area", "quorum_met", "options",
            "abstain_owners", "abstain_area", "adopted"} <= set(choice["properties"])
    assert set(choice["properties"]["options"]["items"]["properties"]) == {"id", "title", "owners", "area", "adopted"}
    assert "passed" in question["properties"]
    read = paths[ballot]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"election_ranking", "matters", "filing"} <= set(read["properties"])
    candidate = read["properties"]["matters"]["items"]["properties"]["candidates"]["items"]
    assert "eligible" in candidate["properties"]["check"]["properties"]
    check = paths[f"{ballot}/@candidates"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"matter", "candidate", "eligible"} <= set(check["required"])
