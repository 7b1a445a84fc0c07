"""Every form the pages show, found by walking the site's links as each role, submitted with the
page's own CSRF token and one field at a time given a bad value (hypothesis draws the field and
the value from the corpus; not-UTF-8 bytes included).  Never a 5xx; every 4xx shows a message and
wrote nothing.  ``FUZZ_EXAMPLES=500`` for the long run (it also walks further)."""
import re
from collections import deque
from urllib.parse import urlencode, urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import browser, sign_in
from tests.support.fuzzing import BAD_VALUES, EXAMPLES, LONG_RUN, ROLES, check_answer, fuzz_settings

C = "/tianhe/shipai/mingyuan/"
START = ("/", "/@my", C, C + "ballots/b2/", C + "register/", C + "register/u1/", C + "register/@import",
         C + "register/@add-unit", C + "ballots/b1/", "/@accounts", "/@register", "/@login", "/@password",
         C + "ballots/@add", C + "documents/@add", C + "register/u1/@edit", C + "register/u1/@add-owner",
         C + "register/u1/@owner?i=0", C + "register/u1/@unbind?i=0", C + "ballots/b2/@vote", C + "ballots/b2/@paper",
         C + "ballots/b1/@edit", C + "@bind", "/tianhe/@add", "/tianhe/shipai/@add", "/@workflows", "/@add")
MAX_PAGES = 400 if LONG_RUN else 60
SKIP = ("@logout", "@export", ".csv", ".xlsx", ".pdf", "@file", "@attachment", "@paper-scan", "/static",
        "@language", "@face-return", "@outbox")
STRUCTURE = {"_charset_", "__formid__", "__start__", "__end__", "csrf_token"}
# Refusals meant to be recorded: failed sign-ins and binding attempts count toward the throttle,
# asked-for sign-up codes count too.
WRITES_OK = ("/@login", "@bind", "/@register")
FORM_BYTES = (b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80")        # not UTF-8


def links(page):
    for anchor in page.html.select("a[href]"):
        href = anchor["href"]
        parsed = urlparse(href)
        if parsed.netloc not in ("", "localhost") or href.startswith(("#", "mailto:", "javascript:")):
            continue
        path = parsed.path + ("?" + parsed.query if parsed.query else "")
        if path.startswith("/") and not any(s in path for s in SKIP):
            yield path


def form_key(action):
    """A form's action without the page it returns to: one sign-in form, not one per page."""
    parsed = urlparse(action)
    query = "&".join(sorted(q for q in parsed.query.split("&") if q and not q.startswith("came_from=")))
    path = re.sub(r"/register/u\d+/", "/register/{unit}/", parsed.path)     # one unit stands for all
    return path + ("?" + query if query else "")


def walk(client):
    """{(action, form id): (page path, form)} of every POST form reachable from START."""
    seen, queue, forms = set(), deque(START), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if form_key(path) in seen:
            continue
        seen.add(form_key(path))
        page = client.get(path, expect_errors=True)
        assert page.status_int < 500, f"GET {path}: {page.status}"
        if page.status_int != 200 or "html" not in page.content_type:
            continue
        for form in page.forms.values():
            action = form.action or path
            if form.method.upper() == "POST" and not any(s in action for s in SKIP):
                forms.setdefault((form_key(action), form.id), (path, form))
        queue.extend(p for p in links(page) if form_key(p) not in seen)
    return forms


def submit_button(form):
    for name, fields in form.fields.items():
        if name and any(type(f).__name__ == "Submit" for f in fields):
            return name
    return None


def post_with(client, form, field, value):
    """Submit ``form`` as the page would, with every occurrence of ``field`` set to ``value``."""
    button = submit_button(form)
    fields = [(name, value if name == field else (v if v is not None else ""))
              for name, v in form.submit_fields(button)]
    if not any(name == field for name, _v in fields):
        fields.append((field, value))
    body = urlencode([(n, v if isinstance(v, bytes) else str(v)) for n, v in fields])
    action = form.action or "/"
    return client.post(urlparse(action).path + ("?" + urlparse(action).query if urlparse(action).query else ""),
                       body, headers={"Content-Type": "application/x-www-form-urlencoded"}, expect_errors=True)


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_5xx(app, db, role):
    client = browser(app)
    if role:
        sign_in(client, role)
    forms = walk(client)
    assert forms, "the walk found no form"
    values = st.one_of(st.sampled_from(BAD_VALUES), st.sampled_from(FORM_BYTES), st.text(max_size=30))
    for (action, _formid), (page, form) in sorted(forms.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        names = sorted({name for name in form.fields if name and name not in STRUCTURE}) or ["x"]

        @fuzz_settings()
        @given(field=st.sampled_from(names), value=values)
        def run(field, value):
            sent = value if isinstance(value, (bytes, str)) else ("" if value is None else str(value))
            before = db.lastTransaction()
            res = post_with(client, form, field, sent)
            writes_ok = ((res.status_int, None),) if any(w in action for w in WRITES_OK) else ()
            check_answer(res, db, before, f"{role or 'anonymous'} {action} (from {page}) {field}={sent!r:.200}",
                         writes_ok)
            if role and res.status_int in (302, 303) and "@login" in res.headers.get("Location", ""):
                sign_in(client, role)                 # a submit that signed us out: sign in again

        run()
    assert EXAMPLES > 0
