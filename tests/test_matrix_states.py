"""Role x workflow state x view, for ballots and filed documents.

Nothing here is a hand-kept table of who may do what: the views and their permissions are read
from the registered views (the introspector), and who holds a permission in a state is read
from the default workflow definitions (workflows/*.yaml).  A fresh ballot is brought into each
state of the ballot workflow along the definition's own transitions (so publishing the notice
freezes its electorate, as in real life), and a document into each state of its workflow.

Each response is classified:

* a permission refusal -- 401, or 403 whose whole message is a permission-refusal message;
* a business refusal -- 409, or a 403 whose message says the reason in other words;
* passed -- anything else below 500 (e.g. 400 for the empty body sent to views that change things).

A role without the permission must get a permission refusal; a role with it must never get one
(a business refusal or a pass is fine, and a business refusal must say why in words).
"""
import pathlib
import re
import tempfile

import pytest

from portal import clock, main
from portal.security.accounts import Account
from tests.conftest import browser, build_demo, current, make_settings, sign_in
from tests.workflow_states import ballot_in, definition, document_in, paths_to_states
from tests.workflow_states import holds as shared_holds

COMMUNITY = ("tianhe", "shipai", "mingyuan")
BASE = "/" + "/".join(COMMUNITY) + "/"
# demo login -> the role it holds at the community (anon and nobody hold none)
ROLE_OF = {"anon": None, "nobody": None, "owner1": "owner", "organizer": "organizer", "street": "street",
           "district": "district", "admin": "admin"}
LOGINS = tuple(ROLE_OF)
KINDS = {"Ballot": "ballot", "Document": "document"}   # type -> workflow kind

# The permission-refusal messages (zh_Hans, the default language), as portal/errors.py answers them.
PERMISSION_REFUSALS = ("您无权在此进行该操作。",        # You are not allowed to do this here.
                       "登录后才能查看此页面。",        # Sign in to see this page.
                       "请先登录。",                    # Sign in first.
                       "您无权进行这一步。")            # the workflow's own: You may not take this step.

# Views whose code asks for a further permission after the view's own one, and refuses with the
# permission-refusal message when it is missing (portal/paper/views.py may_see, releases/views.py
# access, notify/views.py delivery_view): any one of these permissions is needed as well.
ALSO_NEEDS_ONE_OF = {
    ("Ballot", "@paper"): ("enter_paper", "review_paper"),
    ("Ballot", "@paper-scan"): ("enter_paper", "review_paper"),
    ("Ballot", "@paper-entry"): ("enter_paper", "review_paper"),
    ("Ballot", "@paper-count"): ("enter_paper", "review_paper"),
    ("Ballot", "@proxy"): ("enter_paper", "review_paper"),
    ("Ballot", "@rooms"): ("view_rooms", "view_released_rooms"),
    ("Ballot", "@rooms.csv"): ("view_rooms", "view_released_rooms"),
    ("Ballot", "@delivery"): ("view_delivery", "view_unreached"),
}


def holds(login, roles):
    return shared_holds(login, ROLE_OF, roles)


def may(login, kind, state, permission):
    return holds(login, definition(kind)["states"][state]["permissions"].get(permission, ()))


def registered_views(app):
    """(type, view name, method, is JSON, permission) of every view on ballots and documents."""
    found = set()
    for item in app.registry.introspector.get_category("views"):
        view = item["introspectable"]
        context = view["context"]
        if view["exception_only"] or not isinstance(context, type):
            continue
        types = [t for t in KINDS if t == context.__name__] or (list(KINDS) if context.__name__ == "Workflowed" else [])
        permissions = [p["value"] for p in item["related"] if p.category_name == "permissions"]
        methods = view["request_methods"] or ("GET",)
        methods = (methods,) if isinstance(methods, str) else methods
        for type_name in types:
            for method in methods:
                found.add((type_name, view["name"], method, bool(view.get("json")),
                           permissions[0] if permissions else None))
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = main({}, **make_settings(tmp_path_factory.mktemp("matrix-states")))
    build_demo(app)
    db = app.registry._zodb_databases[""]
    now = clock.now()
    paths = {}
    with current(app.registry), db.transaction() as conn:
        portal = conn.root()["portal"]
        portal.accounts.add(Account("nobody", "No roles", "nobody-demo"))
        community = portal[COMMUNITY[0]][COMMUNITY[1]][COMMUNITY[2]]
        for state in definition("ballot")["states"]:
            paths["Ballot", state] = f"{BASE}ballots/{ballot_in(community['ballots'], state, now)}/"
        for state in definition("document")["states"]:
            paths["Document", state] = f"{BASE}documents/{document_in(community['documents'], state, now)}/"
    clients = {}
    for login in LOGINS:
        client = browser(app)
        if login != "anon":
            assert sign_in(client, login).status_int == 302
        token = client.get("/@login").forms["form"]["csrf_token"].value if login != "anon" else ""
        clients[login] = (client, token)
    yield app, paths, clients
    db.close()


def send(client, token, path, name, method, is_json):
    url = path + name
    if method == "GET":
        return client.get(url, headers={"Accept": "application/json"} if is_json else {}, status="*")
    if is_json:
        return client.request(url, method=method, body=b"{}", content_type="application/json", status="*",
                              headers={"Accept": "application/json", "X-CSRF-Token": token}, expect_errors=True)
    response = client.post(url, {"csrf_token": token}, status="*")
    if 300 <= response.status_int < 400:     # the page a browser goes on to, showing (and using up) its flash
        assert response.follow(status="*").status_int < 500
    return response


def message_of(response):
    """The words a refusal says: the JSON message, or the page's notice, else its flash messages."""
    if response.content_type == "application/json":
        return response.json.get("message", "")
    for pattern in (r'<p class="notice"[^>]*>(.*?)</p>', r'<div class="flash"[^>]*>(.*?)</div>'):
        found = re.findall(pattern, response.text, re.S)
        if found:
            return " ".join(re.sub(r"<[^>]+>", " ", text) for text in found).strip()
    return ""


def classify(response):
    """"permission", "business" or "passed" (see the module's docstring)."""
    status = response.status_int
    if status == 401:
        return "permission"
    if status in (403, 409):
        words = message_of(response)
        assert words, f"a {status} that does not say why: {response.text[:300]}"
        if status == 403 and words in PERMISSION_REFUSALS:    # the whole message, nothing else
            return "permission"
        return "business"
    return "passed"


def expected_allowed(type_name, name, permission, login, state):
    kind = KINDS[type_name]
    if permission is not None and not may(login, kind, state, permission):
        return False
    also = ALSO_NEEDS_ONE_OF.get((type_name, name))
    return also is None or any(may(login, kind, state, p) for p in also)


def views_as_registered():
    """The rows of ``registered_views``, read once at collection from an app made for it."""
    app = main({}, **make_settings(pathlib.Path(tempfile.mkdtemp(prefix="matrix-views-"))))
    try:
        return sorted(registered_views(app), key=lambda v: (v[0], v[1], v[2], v[3], v[4] or ""))
    finally:
        app.registry._zodb_databases[""].close()


VIEWS = views_as_registered()


def cases():
    for type_name, name, method, is_json, permission in VIEWS:
        for state in definition(KINDS[type_name])["states"]:
            yield pytest.param(type_name, name, method, is_json, permission, state,
                               id=f"{type_name}-{state}-{name or 'view'}-{method}-{'json' if is_json else 'page'}")


def test_the_views_are_read_from_the_registry():
    names = {(t, n) for t, n, *_ in VIEWS}
    assert ("Ballot", "@vote") in names and ("Document", "@file") in names and ("Ballot", "@workflow") in names
    assert all(p is not None for *_, p in VIEWS), "every ballot and document view names its permission"
    assert set(ALSO_NEEDS_ONE_OF) <= names


def test_every_state_is_reached():
    for kind in KINDS.values():
        assert set(paths_to_states(kind)) == set(definition(kind)["states"])


@pytest.mark.parametrize("type_name, name, method, is_json, permission, state", list(cases()))
def test_role_state_view(world, type_name, name, method, is_json, permission, state):
    _app, paths, clients = world
    wrong = []
    for login in LOGINS:
        client, token = clients[login]
        response = send(client, token, paths[type_name, state], name, method, is_json)
        assert response.status_int < 500, (login, response.text[:300])
        got = classify(response)
        allowed = expected_allowed(type_name, name, permission, login, state)
        if allowed == (got == "permission"):
            wrong.append(f"{login}: {response.status_int} {got} ({message_of(response)[:80]!r}), "
                         f"expected {'allowed' if allowed else 'a permission refusal'}")
        elif not allowed and login != "anon":
            assert response.status_int == 403, (login, response.status_int)   # signed in: 403, not 401
    assert not wrong, f"{permission!r} in {state}: " + "; ".join(wrong)


# (login, state, method, view and query, JSON body or None for a page) -> (status, the reason it gives):
# each is asked by a role that holds the view's permission, and refused for a reason of the case.
BUSINESS = [
    ("street", "notice", "POST", "@remind", {"template": "last_days"}, 409, "提醒只能在投票期间发送。"),
    ("organizer", "notice", "GET", "@rooms?list=unbound", None, 403, "街道办事处尚未向您发布此名单。"),
    ("street", "notice", "GET", "@rooms?list=unvoted", None, 403, "此名单将于"),
    ("street", "draft", "POST", "@workflow/publish_preliminary", {"comment": "x"}, 409, "在当前状态下不能进行这一步。"),
    ("street", "draft", "POST", "@workflow/cancel", {"comment": " "}, 409, "请在备注中说明理由。"),
    ("organizer", "preliminary", "POST", "@objections", {"matter": "", "text": "x"}, 403,
     "只有本小区业主可以在异议期内提出异议。"),
]
# the same views refused for want of the permission: (login, state, method, view, body, status, message)
PERMISSION = [
    ("owner1", "notice", "POST", "@remind", {"template": "last_days"}, 403, "您无权在此进行该操作。"),
    ("owner1", "notice", "GET", "@rooms?list=unbound", None, 403, "您无权在此进行该操作。"),
    ("anon", "notice", "GET", "@rooms?list=unbound", None, 403, "您无权在此进行该操作。"),   # the view's own check
    ("anon", "draft", "GET", "", None, 403, "登录后才能查看此页面。"),
    ("owner1", "draft", "POST", "@workflow/publish_preliminary", {"comment": "x"}, 403, "您无权在此进行该操作。"),
    ("owner1", "notice", "POST", "@workflow/cancel", {"comment": "x"}, 403, "您无权进行这一步。"),
    ("anon", "draft", "POST", "@workflow/submit", {"comment": "x"}, 401, "请先登录。"),
    ("organizer", "voting", "POST", "@objections", {"matter": "", "text": "x"}, 403, "您无权在此进行该操作。"),
]


def ask(world, login, state, method, view, body):
    _app, paths, clients = world
    client, token = clients[login]
    url = paths["Ballot", state] + view
    if method == "GET":
        return client.get(url, status="*")
    if body is None:
        return client.post(url, {"csrf_token": token}, status="*")
    return client.post_json(url, body, status="*", headers={"Accept": "application/json", "X-CSRF-Token": token})


@pytest.mark.parametrize("login, state, method, view, body, status, reason", BUSINESS,
                         ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in BUSINESS])
def test_a_business_refusal_says_why(world, login, state, method, view, body, status, reason):
    permission = {"@remind": "view_rooms", "@rooms?list=unbound": "view_released_rooms",
                  "@rooms?list=unvoted": "view_rooms", "@objections": "view_objections"}.get(view, "view")
    assert may(login, "ballot", state, permission), "the case must hold the view's permission"
    response = ask(world, login, state, method, view, body)
    assert response.status_int == status, response.text[:300]
    assert classify(response) == "business"
    words = message_of(response)
    assert reason in words and not any(refusal in words for refusal in PERMISSION_REFUSALS), words


@pytest.mark.parametrize("login, state, method, view, body, status, message", PERMISSION,
                         ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in PERMISSION])
def test_a_permission_refusal_says_so(world, login, state, method, view, body, status, message):
    response = ask(world, login, state, method, view, body)
    assert response.status_int == status, response.text[:300]
    assert classify(response) == "permission"
    assert message in message_of(response)
