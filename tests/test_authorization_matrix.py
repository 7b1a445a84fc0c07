"""Every view x every role x a node inside and outside the role's subtree.

The table below is the single statement of who may use which view on which kind of node.  The
first test fails when a view is registered that the table does not list, so a new view cannot
ship without its row.  A request counts as allowed when it is not answered 401 or 403: views
that change things are sent an empty body, which an allowed caller gets back as a 400.

Here the ballot and the document are drafts; tests/test_matrix_states.py covers every state of
their workflows (role x state x view, read from the definitions), and the draft rows below are
checked against the definitions too.
"""
import pytest

from portal import main
from portal.content.models import Node, Portal
from portal.security.accounts import Account
from tests.conftest import browser, build_demo, make_settings, sign_in


def draft_document(container):
    import datetime

    from portal.documents import service

    service.create(container, {"doc_type": "rules_of_procedure", "title": "议事规则", "filing_number": "1",
                               "filing_date": datetime.date(2026, 1, 1)}, "r.pdf", b"%PDF-1.4 x", "",
                   datetime.datetime.now(datetime.timezone.utc))


def draft_ballot(container):
    import datetime

    from portal.ballots import services

    services.create(container, {"title": "矩阵测试", "start_date": datetime.date(2027, 1, 1),
                                "end_date": datetime.date(2027, 1, 10),
                                "matters": [{"title": "m", "text": "t", "category": 1}]}, "", datetime.datetime.now(
                                    datetime.timezone.utc))

ANON, NOBODY, ADMIN, DISTRICT, STREET, ORGANIZER = "anon", "nobody", "admin", "district", "street", "organizer"
EVERYONE = frozenset({ANON, NOBODY, ADMIN, DISTRICT, STREET, ORGANIZER})
STAFF = frozenset({ADMIN, DISTRICT, STREET})
KINDS = ("Portal", "District", "Street", "Community")
NODE_KINDS = KINDS

# Where each kind of node is tested: inside the demo roles' subtrees, and outside them.
INSIDE = {"Portal": "/", "District": "/tianhe/", "Street": "/tianhe/shipai/",
          "Community": "/tianhe/shipai/mingyuan/", "Register": "/tianhe/shipai/mingyuan/register/",
          "Unit": "/tianhe/shipai/mingyuan/register/u1/", "Ballots": "/tianhe/shipai/mingyuan/ballots/",
          "Ballot": "/tianhe/shipai/mingyuan/ballots/b1/", "Documents": "/tianhe/shipai/mingyuan/documents/",
          "Document": "/tianhe/shipai/mingyuan/documents/d1/"}
OUTSIDE = {"District": "/haizhu/", "Street": "/haizhu/chigang/", "Community": "/haizhu/chigang/jiangan/",
           "Register": "/haizhu/chigang/jiangan/register/", "Unit": "/haizhu/chigang/jiangan/register/u1/",
           "Ballots": "/haizhu/chigang/jiangan/ballots/", "Ballot": "/haizhu/chigang/jiangan/ballots/b1/",
           "Documents": "/haizhu/chigang/jiangan/documents/", "Document": "/haizhu/chigang/jiangan/documents/d1/"}

ADD = {"Portal": {ADMIN}, "District": {ADMIN, DISTRICT}, "Street": STAFF, "Community": set()}
EDIT = {"Portal": set(), "District": {ADMIN}, "Street": STAFF, "Community": STAFF}
MANAGE = {"Portal": {ADMIN}, "District": {ADMIN, DISTRICT}, "Street": STAFF, "Community": STAFF}
PUBLIC = {kind: EVERYONE for kind in KINDS}
ROOT_PUBLIC = {"Portal": EVERYONE}
ROOT_ADMIN = {"Portal": {ADMIN}}
REGISTER_VIEW = {"Register": STAFF}
REGISTER_EDIT = {"Register": {ADMIN, DISTRICT}}
REGISTER_FULL = {"Register": {DISTRICT}}
UNIT_VIEW = {"Unit": STAFF}
UNIT_EDIT = {"Unit": {ADMIN, DISTRICT}}
BALLOTS_PUBLIC = {"Ballots": EVERYONE}
BALLOTS_ADD = {"Ballots": {ORGANIZER}}
# the matrix's ballot is a draft: the draft state's map of the default workflow
BALLOT_DRAFT_VIEW = {"Ballot": {ORGANIZER, STREET, DISTRICT, ADMIN}}

# (view name, method, is JSON) -> {kind of node: roles allowed at a node inside their subtree}
EXPECTED = {
    ("Node", "", "GET", False): PUBLIC,
    ("Node", "", "GET", True): PUBLIC,
    ("Node", "", "POST", True): ADD,
    ("Node", "", "PATCH", True): EDIT,
    ("Node", "@add", "GET", False): ADD,
    ("Node", "@edit", "GET", False): EDIT,
    ("Node", "@sharing", "GET", False): MANAGE,
    ("Node", "@sharing", "GET", True): MANAGE,
    ("Node", "@sharing", "POST", True): MANAGE,
    ("Node", "@sharing-revoke", "POST", False): MANAGE,
    ("Node", "@audit", "GET", False): MANAGE,
    ("Node", "@audit", "GET", True): MANAGE,
    ("Node", "@statistics", "GET", False): PUBLIC,
    ("Node", "@statistics", "GET", True): PUBLIC,
    ("Portal", "@accounts", "GET", False): ROOT_ADMIN,
    ("Portal", "@accounts", "GET", True): ROOT_ADMIN,
    ("Portal", "@accounts", "POST", True): ROOT_ADMIN,
    ("Portal", "@login", "GET", False): ROOT_PUBLIC,
    ("Portal", "@login", "POST", True): ROOT_PUBLIC,
    ("Portal", "@logout", "POST", False): ROOT_PUBLIC,
    ("Portal", "@password", "GET", False): ROOT_PUBLIC,
    ("Portal", "@password", "POST", True): {"Portal": EVERYONE - {ANON}},
    ("Portal", "@language", "GET", False): ROOT_PUBLIC,
    ("Portal", "@health", "GET", False): ROOT_PUBLIC,
    ("Portal", "openapi.json", "GET", False): ROOT_PUBLIC,
    ("Register", "", "GET", False): REGISTER_VIEW,
    ("Register", "", "GET", True): REGISTER_VIEW,
    ("Register", "@export.csv", "GET", False): REGISTER_VIEW,
    ("Register", "@export.xlsx", "GET", False): REGISTER_VIEW,
    ("Register", "@export-full.csv", "GET", False): REGISTER_FULL,
    ("Register", "@export-full.xlsx", "GET", False): REGISTER_FULL,
    ("Register", "@import", "GET", False): REGISTER_EDIT,
    ("Register", "@import", "POST", True): REGISTER_EDIT,
    ("Register", "@import-confirm", "POST", False): REGISTER_EDIT,
    ("Register", "@template.csv", "GET", False): REGISTER_EDIT,
    ("Register", "@template.xlsx", "GET", False): REGISTER_EDIT,
    ("Register", "@add-unit", "GET", False): REGISTER_EDIT,
    ("Unit", "", "GET", False): UNIT_VIEW,
    ("Unit", "", "GET", True): UNIT_VIEW,
    ("Unit", "@edit", "GET", False): UNIT_EDIT,
    ("Unit", "@remove", "POST", False): UNIT_EDIT,
    ("Unit", "@add-owner", "GET", False): UNIT_EDIT,
    ("Unit", "@owner", "GET", False): UNIT_EDIT,
    ("Unit", "@remove-owner", "POST", False): UNIT_EDIT,
    ("Unit", "@binding-code", "POST", False): {"Unit": {STREET}},
    ("Unit", "@binding-code", "POST", True): {"Unit": {STREET}},
    ("Unit", "@unbind", "GET", False): {"Unit": {STREET}},
    ("Unit", "@unbind-decline", "GET", False): {"Unit": {STREET}},       # the confirmation step
    ("Unit", "@unbind-decline", "POST", False): {"Unit": {STREET}},
    ("Node", "@bind", "GET", False): {"Community": EVERYONE - {ANON}},
    ("Node", "@bind", "POST", True): {"Community": EVERYONE - {ANON}},
    ("Node", "@unbind", "POST", False): {"Community": EVERYONE - {ANON}},
    ("Node", "@unbind-request", "POST", True): {"Community": EVERYONE - {ANON}},
    ("Portal", "@unbind-request", "POST", False): ROOT_PUBLIC,    # after face verification (own request only)
    ("Portal", "@register", "GET", False): ROOT_PUBLIC,
    ("Portal", "@reset", "GET", False): ROOT_PUBLIC,              # password reset by SMS code
    ("Portal", "@elderly", "GET", False): ROOT_PUBLIC,            # the elderly-mode switch, like @language
    ("Portal", "@reset", "POST", True): ROOT_PUBLIC,
    ("Node", "@unbind", "GET", False): {"Community": EVERYONE - {ANON}},   # the confirmation step
    ("Portal", "@register", "POST", True): ROOT_PUBLIC,
    ("Portal", "@outbox", "GET", False): ROOT_ADMIN,
    ("Portal", "@face-consent", "GET", False): ROOT_PUBLIC,
    ("Portal", "@face-callback", "POST", False): ROOT_PUBLIC,
    ("Portal", "@face-return", "GET", False): ROOT_PUBLIC,
    ("Portal", "@my", "GET", False): ROOT_PUBLIC,
    ("Portal", "@my", "GET", True): ROOT_PUBLIC,
    ("Portal", "@workflows", "GET", False): ROOT_ADMIN,
    ("Portal", "@clock", "POST", False): ROOT_ADMIN,
    ("Node", "@notices", "GET", False): PUBLIC,
    ("Node", "@search", "GET", False): PUBLIC,
    ("Node", "@search", "GET", True): PUBLIC,
    ("Node", "@notices", "GET", True): PUBLIC,
    ("Ballots", "", "GET", False): BALLOTS_PUBLIC,
    ("Ballots", "", "GET", True): BALLOTS_PUBLIC,
    ("Ballots", "", "POST", True): BALLOTS_ADD,
    ("Ballots", "@add", "GET", False): BALLOTS_ADD,
    ("Ballot", "", "GET", False): BALLOT_DRAFT_VIEW,
    ("Ballot", "", "GET", True): BALLOT_DRAFT_VIEW,
    ("Ballot", "@edit", "GET", False): {"Ballot": {ORGANIZER}},
    ("Ballot", "@notice", "GET", False): BALLOT_DRAFT_VIEW,
    ("Workflowed", "@workflow", "POST", False): dict(BALLOT_DRAFT_VIEW, Document={DISTRICT, ADMIN}),
    ("Ballot", "@workflow", "GET", False): BALLOT_DRAFT_VIEW,      # the confirmation page of a step
    ("Documents", "", "GET", False): {"Documents": EVERYONE},
    ("Documents", "", "GET", True): {"Documents": EVERYONE},
    ("Documents", "", "POST", True): {"Documents": {DISTRICT}},
    ("Document", "", "GET", True): {"Document": {DISTRICT, ADMIN}},
    ("Documents", "@add", "GET", False): {"Documents": {DISTRICT}},
    ("Document", "", "GET", False): {"Document": {DISTRICT, ADMIN}},     # a draft
    ("Document", "@file", "GET", False): {"Document": {DISTRICT, ADMIN}},
    ("Document", "@new-version", "GET", False): {"Document": {DISTRICT}},
    ("Ballot", "@extension", "POST", False): {"Ballot": set()},
    ("Ballot", "@candidates", "POST", False): {"Ballot": set()},   # checked only under review
    ("Ballot", "@candidate-file", "POST", False): {"Ballot": {ORGANIZER}},   # the draft's own organizer
    ("Ballot", "@candidate-file", "GET", False): BALLOT_DRAFT_VIEW,
    ("Ballot", "@objections", "GET", False): {"Ballot": set()},   # only once results are out
    ("Ballot", "@objections", "POST", False): {"Ballot": set()},
    ("Ballot", "@filing.pdf", "GET", False): {"Ballot": set()},   # after the final disclosure only
    ("Ballot", "@record", "GET", False): {"Ballot": set()},       # after the final disclosure only
    ("Ballot", "@record", "GET", True): {"Ballot": set()},
    ("Ballot", "@record.csv", "GET", False): {"Ballot": set()},
    ("Node", "@worklist", "GET", False): {"Street": STAFF, "District": {ADMIN, DISTRICT}},   # street and district desks
    ("Portal", "@worklist", "GET", False): ROOT_ADMIN,           # the city administrators' desk
    ("Node", "@audit.csv", "GET", False): MANAGE,                # the audit log as CSV, as the page
    ("Ballot", "@filing.zip", "GET", False): {"Ballot": set()},
    ("Ballot", "@extension-approve", "POST", False): {"Ballot": set()},
    ("Ballot", "@vote", "POST", True): {"Ballot": set()},
    ("Ballot", "@rooms", "GET", False): {"Ballot": set()},        # a draft has no room lists
    ("Ballot", "@paper", "GET", False): {"Ballot": set()},        # nor paper ballots
    ("Ballot", "@attachment", "GET", False): BALLOT_DRAFT_VIEW,
    ("Ballot", "@paper-review", "POST", False): {"Ballot": set()},
    ("Ballot", "@paper-scan", "GET", False): {"Ballot": set()},
    ("Ballot", "@paper", "GET", True): {"Ballot": set()},         # paper ballots as JSON, as the page
    ("Ballot", "@paper", "POST", True): {"Ballot": set()},
    ("Ballot", "@paper-review", "POST", True): {"Ballot": set()},
    ("Ballot", "@paper-entry", "GET", False): {"Ballot": set()},  # the paper desk's entries, counts, proxies:
    ("Ballot", "@paper-batch", "GET", False): {"Ballot": set()},  # none on a draft
    ("Ballot", "@paper-resolve", "POST", False): {"Ballot": set()},
    ("Ballot", "@paper-correct", "POST", False): {"Ballot": set()},
    ("Ballot", "@paper-count", "GET", False): {"Ballot": set()},
    ("Ballot", "@proxy", "GET", False): {"Ballot": set()},
    ("Ballot", "@paper-count", "GET", True): {"Ballot": set()},
    ("Ballot", "@paper-count", "POST", True): {"Ballot": set()},
    ("Ballot", "@paper-second", "POST", True): {"Ballot": set()},
    ("Ballot", "@paper-resolve", "POST", True): {"Ballot": set()},
    ("Ballot", "@paper-batch", "POST", True): {"Ballot": set()},
    ("Ballot", "@paper-correct", "POST", True): {"Ballot": set()},
    ("Ballot", "@proxy", "POST", True): {"Ballot": set()},
    ("Ballot", "@rooms.csv", "GET", False): {"Ballot": set()},
    ("Ballot", "@rooms-release", "POST", False): {"Ballot": set()},
    ("Ballot", "@rooms-release", "GET", False): {"Ballot": set()},        # the confirmation step
    ("Ballot", "@delivery", "GET", False): {"Ballot": set()},     # nothing is sent for a draft
    ("Ballot", "@remind", "POST", False): {"Ballot": set()},      # street staff, during voting only
    ("Portal", "@reminders", "GET", False): ROOT_PUBLIC,          # the signed-in person's own setting
    ("Portal", "@wechat", "GET", False): ROOT_PUBLIC,             # WeChat sign-in, for anyone
    ("Portal", "@wechat-callback", "GET", False): ROOT_PUBLIC,
    ("Portal", "@wechat-link", "GET", False): ROOT_PUBLIC,        # the signed-in person's own link
    ("Portal", "@wechat-events", "GET", False): ROOT_PUBLIC,      # WeChat's server, signature checked
    ("Ballot", "@progress", "GET", True): {"Ballot": set()},
    ("Ballot", "@results", "GET", True): {"Ballot": set()},
    ("Ballot", "@receipt", "GET", True): BALLOT_DRAFT_VIEW,
    ("Ballot", "@receipt", "GET", False): BALLOT_DRAFT_VIEW,
    ("Ballot", "@vote", "GET", False): {"Ballot": set()},
    ("Ballot", "@results", "GET", False): {"Ballot": set()},
    ("Ballot", "@results.csv", "GET", False): {"Ballot": set()},
    ("Ballot", "@results.xlsx", "GET", False): {"Ballot": set()},
    ("Ballot", "@results.pdf", "GET", False): {"Ballot": set()},
}


def test_the_draft_rows_agree_with_the_workflow_definitions():
    from tests.workflow_states import definition

    ballot = definition("ballot")["states"]["draft"]["permissions"]
    assert BALLOT_DRAFT_VIEW["Ballot"] == set(ballot["view"])
    assert EXPECTED[("Ballot", "@edit", "GET", False)]["Ballot"] == set(ballot["edit"])
    document = definition("document")["states"]["draft"]["permissions"]
    for row in (("Document", "", "GET", False), ("Document", "", "GET", True), ("Document", "@file", "GET", False)):
        assert EXPECTED[row]["Document"] == set(document["view"])
    assert EXPECTED[("Document", "@new-version", "GET", False)]["Document"] == set(document["edit"])
    assert EXPECTED[("Workflowed", "@workflow", "POST", False)] == {"Ballot": set(ballot["view"]),
                                                                   "Document": set(document["view"])}


def context_name(context):
    if isinstance(context, type) and issubclass(context, Node) and context is not Portal:
        return "Node"
    return getattr(context, "__name__", None)


def registered_views(app):
    """(name, method, json) of every view on a tree node, as registered."""
    found = set()
    for item in app.registry.introspector.get_category("views"):
        view = item["introspectable"]
        context = view["context"]
        if view["exception_only"] or not isinstance(context, type) or view["name"].startswith("static"):
            continue
        if not (issubclass(context, Node) or context.__name__ in (
                "Register", "Unit", "Ballots", "Ballot", "Workflowed", "Documents", "Document")):
            continue
        methods = view["request_methods"] or ("GET",)
        if isinstance(methods, str):
            methods = (methods,)
        for method in methods:
            found.add((context_name(context), view["name"], method, bool(view.get("json"))))
    return found


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    app = main({}, **make_settings(tmp_path_factory.mktemp("matrix")))
    build_demo(app)
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        portal = conn.root()["portal"]
        portal.accounts.add(Account("nobody", "No roles", "nobody-demo"))
        for path in (("tianhe", "shipai", "mingyuan"), ("haizhu", "chigang", "jiangan")):
            draft_ballot(portal[path[0]][path[1]][path[2]]["ballots"])
            draft_document(portal[path[0]][path[1]][path[2]]["documents"])
    made = {}
    for role in EVERYONE:
        client = browser(app)
        if role != ANON:
            assert sign_in(client, role).status_int == 302
        made[role] = client
    yield made
    db.close()


def test_every_registered_view_has_a_row(clients):
    app = clients[ANON].app
    missing = registered_views(app) - set(EXPECTED)
    assert not missing, f"views without an authorization row: {sorted(missing)}"
    stale = set(EXPECTED) - registered_views(app)
    assert not stale, f"rows for views that no longer exist: {sorted(stale)}"


def cases():
    for (_context, name, method, is_json), by_kind in sorted(EXPECTED.items()):
        for kind, allowed_inside in by_kind.items():
            places = [("inside", INSIDE[kind])]
            if kind in OUTSIDE:
                places.append(("outside", OUTSIDE[kind]))
            for where, path in places:
                allowed = set(allowed_inside)
                if where == "outside" and not (EVERYONE - {ANON}) <= allowed:
                    allowed &= {ADMIN}     # local roles do not reach outside their subtree
                for role in sorted(EVERYONE):
                    yield pytest.param(name, method, is_json, path, role, role in allowed,
                                       id=f"{kind}:{name or 'view'}-{method}-{'json' if is_json else 'page'}-{kind}-{where}-{role}")


def csrf_token(client):
    """The session's CSRF token, as a page would carry it (None without a session)."""
    if "portal_session" not in client.cookies:
        return None
    return client.get("/@login").forms["form"]["csrf_token"].value


def request(client, name, method, is_json, path):
    url = path + name
    if method == "GET":
        headers = {"Accept": "application/json"} if is_json else {}
        return client.get(url, headers=headers, status="*")
    token = csrf_token(client)
    if is_json:
        headers = {"Accept": "application/json", "X-CSRF-Token": token or ""}
        return client.request(url, method=method, body=b"{}", content_type="application/json",
                              headers=headers, status="*", expect_errors=True)
    return client.post(url, {"csrf_token": token or ""}, status="*")


@pytest.mark.parametrize("name, method, is_json, path, role, allowed", list(cases()))
def test_matrix(clients, name, method, is_json, path, role, allowed):
    client = clients[role]
    response = request(client, name, method, is_json, path)
    if name == "@logout" and role != ANON:
        sign_in(client, role)
    assert response.status_int < 500, response.text[:300]
    refused = response.status_int in (401, 403)
    assert refused is (not allowed), (
        f"{role} {method} {path}{name} -> {response.status_int}, expected {'allowed' if allowed else 'refused'}"
    )
