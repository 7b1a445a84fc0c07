"""The sign-in and sign-up forms check their CSRF token even without a session cookie (a forged
cross-site sign-in would otherwise sign the victim into the forger's account)."""
from tests.conftest import browser


def test_a_sign_in_posted_from_elsewhere_is_refused(app, db):
    before = db.lastTransaction()
    forged = browser(app).post("/@login", {"login": "street", "password": "street-demo", "signin": "1"},
                               status=400)
    assert "表单已过期" in forged.text
    assert db.lastTransaction() == before
    visitor = browser(app)
    form = visitor.get("/@login").forms["form"]
    form["login"], form["password"] = "street", "street-demo"
    form["csrf_token"] = "forged"
    assert visitor.post("/@login", dict(form.submit_fields("signin")), status=400)
    form["csrf_token"] = visitor.get("/@login").forms["form"]["csrf_token"].value
    assert form.submit("signin").status_int == 302


def test_a_sign_up_posted_from_elsewhere_is_refused(app, db):
    before = db.lastTransaction()
    forged = browser(app).post("/@register", {"phone": "13712345678", "send": "1"}, status=400)
    assert "表单已过期" in forged.text
    assert db.lastTransaction() == before
