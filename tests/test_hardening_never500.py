"""Bad input gets a clear 4xx in the caller's language, never a 500 (issue 15): each case the
issue names, proven on the running app, and the refusal changes nothing in the database."""
import json

import pytest

from tests.conftest import browser
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

COMMUNITY = "/tianhe/shipai/mingyuan"
JSON = {"Accept": "application/json"}


def ballot_body(category=1, start="2027-01-01", end="2027-01-10"):
    return ('{"@type": "Ballot", "title": "t", "start_date": "%s", "end_date": "%s", '
            '"matters": [{"title": "a", "text": "b", "category": %s}]}' % (start, end, category))


def post(client, path, body, headers, content_type="application/json"):
    return client.post(path, body, headers=dict(headers, **{"Content-Type": content_type}), expect_errors=True)


@pytest.fixture
def unchanged(db):
    """Assert that nothing was committed while the block ran."""
    import contextlib

    @contextlib.contextmanager
    def check():
        before = db.lastTransaction()
        yield
        assert db.lastTransaction() == before

    return check


def is_refusal(res, status, text=None):
    assert res.status_int == status, res.text[:300]
    if res.content_type == "application/json":
        assert res.json["message"]
        if text:
            assert text in res.json["message"]
    elif text:
        assert text in res.text


def test_deeply_nested_json_is_a_400(api, unchanged):
    client, headers = api("admin")
    with unchanged():
        res = post(client, "/tianhe", "[" * 100000 + "]" * 100000, headers)
        is_refusal(res, 400, "嵌套")
        nested = '{"@type": "Street", "title": ' + "[" * 25 + "1" + "]" * 25 + "}"
        res = post(client, "/tianhe", nested, headers)
        is_refusal(res, 400, "嵌套")


def test_a_huge_body_to_the_face_callback_is_a_413(anon, unchanged):
    with unchanged():
        res = post(anon, "/@face-callback", b'{"a": "' + b"x" * (3 * 1024 * 1024) + b'"}', JSON)
    is_refusal(res, 413, "KB")


@pytest.mark.parametrize("category", ["-1", "1e400", "true", "1.5", '"1x"', "[1]", "null"])
def test_a_bad_matter_category_is_a_400(api, unchanged, category):
    client, headers = api("organizer")
    with unchanged():
        res = post(client, COMMUNITY + "/ballots", ballot_body(category), headers)
    is_refusal(res, 400)


def test_a_matter_category_in_range_is_still_accepted(api):
    client, headers = api("organizer")
    res = post(client, COMMUNITY + "/ballots", ballot_body("6"), headers)
    assert res.status_int == 201 and res.json["matters"][0]["category"] == 6


@pytest.mark.parametrize("path", ["/@login?came_from=%ff%fe", "/tianhe?x=%ff", "/tianhe/%ff%fe",
                                  "/@language?set=en&came_from=%c3%28"])
def test_bytes_that_are_not_utf8_in_the_address_are_a_400(anon, unchanged, path):
    with unchanged():
        page = anon.get(path, expect_errors=True)
        is_refusal(page, 400, "UTF-8")
        anon.reset()                              # (webtest's cookie jar cannot read that path either)
        res = anon.get(path, headers=JSON, expect_errors=True)
        is_refusal(res, 400, "UTF-8")


def test_bytes_that_are_not_utf8_in_a_form_are_a_400(anon, unchanged):
    with unchanged():
        res = post(anon, "/@register", b"phone=%ff%fe&send=1", {}, "application/x-www-form-urlencoded")
    is_refusal(res, 400, "UTF-8")


@pytest.mark.parametrize("target", ["/%0d%0aSet-Cookie:%20x=1", "/\r\nX: y", "/\\\\evil.example", "/ok\x00"])
def test_cr_lf_in_came_from_never_reaches_a_header(anon, target):
    res = anon.get("/@language", {"set": "en", "came_from": target})
    assert res.status_int == 302
    assert res.location.startswith("http://localhost/")
    assert not any(c in res.location for c in "\r\n\x00\\")
    assert "x=1" not in res.headers.get("Set-Cookie", "")


def test_a_chinese_came_from_is_kept_quoted(anon):
    res = anon.get("/@language", {"set": "en", "came_from": "/tianhe/@search?q=明苑"})
    assert res.location == "http://localhost/tianhe/@search?q=%E6%98%8E%E8%8B%91"


def test_year_9999_dates_are_a_400(api, unchanged):
    client, headers = api("organizer")
    with unchanged():
        res = post(client, COMMUNITY + "/ballots", ballot_body(start="9999-12-30", end="9999-12-31"), headers)
    is_refusal(res, 400)
    assert "2199" in res.json["errors"]["start_date"]


@pytest.mark.parametrize("owner_index", ["1e400", "-1", "true", '"0x1"', "[0]", "99999999999999999999"])
def test_a_bad_index_is_a_400(api, portal_in, unchanged, owner_index):
    client, headers = api("street")
    with portal_in() as portal:
        unit = next(iter(portal["tianhe"]["shipai"]["mingyuan"]["register"].values())).__name__
    with unchanged():
        res = post(client, f"{COMMUNITY}/register/{unit}/@binding-code", '{"owner": %s}' % owner_index, headers)
    is_refusal(res, 400)


def grant_vote_to(portal_in, role):
    with portal_in(commit=True) as portal:
        definition = json.loads(json.dumps(portal.workflows["ballot"]))
        definition["states"]["voting"]["permissions"]["vote"] = ["owner", role]
        portal.workflows["ballot"] = definition


@pytest.mark.parametrize("role", ["anyone", "authenticated"])
def test_vote_granted_to_anyone_or_authenticated_is_never_a_500(app, api, portal_in, db, role):
    voting_time(portal_in)
    grant_vote_to(portal_in, role)
    anon = browser(app)
    staff, headers = api("street")                    # signed in, not an owner of the community
    before = db.lastTransaction()
    res = anon.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=JSON, expect_errors=True)
    assert res.status_int in (401, 403) and res.json["message"]
    assert anon.get(BALLOT + "/@vote", expect_errors=True).status_int == 403
    res = staff.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers, expect_errors=True)
    assert res.status_int == 403 and res.json["message"]
    assert db.lastTransaction() == before
    client, owner_headers = owner(app, "owner1")      # the owners still vote
    assert client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=owner_headers).json["receipt"]


@pytest.mark.parametrize("attachment", ['"just text"', "12", '{"fp": "x"}', "[1]"])
def test_a_string_where_an_upload_is_expected_is_a_400(api, unchanged, attachment):
    client, headers = api("organizer")
    body = ballot_body()[:-1] + ', "attachments": [%s]}' % attachment
    with unchanged():
        res = post(client, COMMUNITY + "/ballots", body, headers)
    is_refusal(res, 400)
    assert res.json["errors"]
