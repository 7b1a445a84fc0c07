"""Helpers for binding tests: sign up through the real pages, read the outbox, issue letters."""
import json
import re

from portal.register.crypto import PersonalData
from tests.conftest import browser

MINGYUAN = "/tianhe/shipai/mingyuan/"


def outbox(app):
    path = app.registry.settings["portal.outbox_file"]
    try:
        with open(path, encoding="utf-8") as source:
            return [json.loads(line) for line in source if line.strip()]
    except FileNotFoundError:
        return []


def last_code(app, phone):
    texts = [m["text"] for m in outbox(app) if m["to"] == phone]
    return re.search(r"\d{6}", texts[-1]).group(0)


def sign_up(app, phone="13712345678", password="owner-password"):
    client = browser(app)
    form = client.get("/@register").forms["form"]
    form["phone"] = phone
    form = form.submit("send").forms["form"]
    form["code"] = last_code(app, phone)
    form["password"] = form["password-confirm"] = password
    response = form.submit("create")
    assert response.status_int == 302, response.text[:400]
    return client


def some_owner(portal_in, index=0, community=("tianhe", "shipai", "mingyuan")):
    """(unit id, owner index, name, id_number) of an unbound owner, decrypted for the test."""
    with portal_in() as portal:
        register = portal[community[0]][community[1]][community[2]]["register"]
        found = [(unit.__name__, i, owner) for unit in register.values() for i, owner in enumerate(unit.owners)
                 if owner.id_hash not in register.bindings]
        unit_id, i, owner = found[index]
        return unit_id, i, owner


def reveal(app, owner):
    personal = app.registry.personal_data
    return personal.decrypt(owner.name_enc), personal.decrypt(owner.id_enc)


def issue_letter(street_client, unit_id, owner_index):
    """Street staff press "issue a binding code letter"; the code read off the letter page."""
    unit = street_client.get(MINGYUAN + f"register/{unit_id}/")
    form = [f for f in unit.forms.values()
            if f.action.endswith("@binding-code") and f["i"].value == str(owner_index)][0]
    letter = form.submit()
    return letter.html.select(".letter .code")[0].text.strip()


def bind_form(client, name, number, method="code", code=""):
    form = client.get(MINGYUAN + "@bind").forms["form"]
    form["name"], form["id_number"], form["code"] = name, number, code
    radio = [n for n, fields in form.fields.items() if type(fields[0]).__name__ == "Radio"][0]
    form[radio] = method
    return form.submit("bind", status="*")


__all__ = ["MINGYUAN", "PersonalData", "bind_form", "issue_letter", "last_code", "outbox", "reveal",
           "sign_up", "some_owner"]
