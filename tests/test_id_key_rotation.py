"""Rotating the ID-number encryption key: the new key encrypts, the retired one still decrypts
until every value is re-encrypted, the look-up hashes keep their own key, and the portal refuses at
start-up keys that cannot read its database."""
import subprocess
import sys

import pytest
import transaction

from portal import main
from portal.bootstrap import ROOT_KEY
from portal.register import keyring
from portal.register.crypto import PersonalData
from portal.scripts import rotate_id_key
from tests.binding_helpers import MINGYUAN, bind_form, issue_letter, reveal, sign_up
from tests.conftest import browser, build_demo, ini_file, make_settings, sign_in

OLD, NEW = "test-id-key-not-for-production", "the-new-id-key-2026"
ALICE = ("张三", "110101199003074514")


def test_a_retired_key_decrypts_and_rotation_moves_a_value_to_the_current_key():
    old = PersonalData(OLD)
    token = old.encrypt(ALICE[1])
    during = PersonalData(NEW, retired=[OLD], lookup=OLD)
    assert during.decrypt(token) == ALICE[1]
    assert not during.is_current(token)
    rotated = during.rotate(token)
    assert during.is_current(rotated) and during.rotate(rotated) is rotated
    after = PersonalData(NEW, lookup=OLD)
    assert after.decrypt(rotated) == ALICE[1]
    with pytest.raises(ValueError):
        old.decrypt(rotated)
    with pytest.raises(ValueError):
        after.decrypt(token)
    assert during.identity_hash("resident_id", ALICE[1]) == old.identity_hash("resident_id", ALICE[1])
    assert PersonalData(NEW).identity_hash("resident_id", ALICE[1]) != old.identity_hash("resident_id", ALICE[1])


def test_fingerprints_name_keys_without_revealing_them():
    during = PersonalData(NEW, retired=[OLD], lookup=OLD)
    old = PersonalData(OLD)
    assert during.encryption_fingerprints == [PersonalData(NEW).encryption_fingerprints[0],
                                              old.encryption_fingerprints[0]]
    assert during.lookup_fingerprint == old.lookup_fingerprint != PersonalData(NEW).lookup_fingerprint
    assert all(OLD not in f and NEW not in f for f in during.encryption_fingerprints)


def settings(tmp_path, **keys):
    values = make_settings(tmp_path)
    values.update({f"portal.{name}": value for name, value in keys.items()})
    return values


def start(tmp_path, **keys):
    return main({}, **settings(tmp_path, **keys))


def close(app):
    app.registry._zodb_databases[""].close()


def decrypted_register(app, path=("tianhe", "shipai", "mingyuan")):
    """Every owner's name, ID number and phone in the register, as the app's keys read them."""
    personal = app.registry.personal_data
    conn = app.registry._zodb_databases[""].open()
    try:
        register = conn.root()[ROOT_KEY][path[0]][path[1]][path[2]]["register"]
        return sorted((u.__name__, personal.decrypt(o.name_enc), personal.decrypt(o.id_enc),
                       personal.decrypt(o.phone_enc)) for u in register.values() for o in u.owners)
    finally:
        transaction.abort()
        conn.close()


@pytest.fixture
def made_with_old_key(tmp_path):
    """A demo database whose personal data is encrypted with OLD, plus an owner who signed up by mobile."""
    app = start(tmp_path)
    build_demo(app)
    sign_up(app, phone="13712345678")
    before = decrypted_register(app)
    close(app)
    return before


def test_the_portal_refuses_keys_that_cannot_read_its_database(tmp_path, made_with_old_key):
    with pytest.raises(keyring.KeyMismatch, match="id_key_retired"):
        start(tmp_path, id_key=NEW, id_lookup_key=OLD)              # the old key forgotten
    with pytest.raises(keyring.KeyMismatch, match="id_lookup_key"):
        start(tmp_path, id_key=NEW, id_key_retired=OLD)             # the hashes' key forgotten


def test_a_database_made_before_the_record_is_checked_against_its_data(tmp_path, made_with_old_key):
    app = start(tmp_path)
    db = app.registry._zodb_databases[""]
    with db.transaction() as conn:
        del conn.root()[ROOT_KEY].personal_data_keys                # as an older release left it
    close(app)
    with pytest.raises(keyring.KeyMismatch, match="cannot decrypt"):
        start(tmp_path, id_key=NEW)


def signed_in(app, login, password=None):
    client = browser(app)
    assert sign_in(client, login, password).status_int == 302
    return client


def first_unbound(app, unit_id=None):
    """(unit id, the first owner) of ``unit_id`` or of the first unit whose first owner is unbound."""
    conn = app.registry._zodb_databases[""].open()
    try:
        register = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["register"]
        unit = register[unit_id] if unit_id else [
            u for u in register.values() if u.owners and u.owners[0].id_hash not in register.bindings][0]
        return unit.__name__, unit.owners[0]
    finally:
        transaction.abort()
        conn.close()


def test_rotation_end_to_end(tmp_path, made_with_old_key):
    during = start(tmp_path, id_key=NEW, id_key_retired=OLD, id_lookup_key=OLD)
    assert decrypted_register(during) == made_with_old_key            # old values read, new ones written
    unit_id, owner = first_unbound(during)
    code = issue_letter(signed_in(during, "street"), unit_id, 0)
    name, number = reveal(during, owner)
    total, left = rotate_id_key.rotate(during.registry._zodb_databases[""], during.registry.personal_data,
                                       report=lambda line: None)
    assert total > 300 and left == 0
    close(during)

    after = start(tmp_path, id_key=NEW, id_lookup_key=OLD)           # the old key removed
    assert decrypted_register(after) == made_with_old_key
    rotated = first_unbound(after, unit_id)[1]
    assert rotated.id_hash == owner.id_hash and rotated.id_enc != owner.id_enc
    with pytest.raises(ValueError):
        PersonalData(OLD).decrypt(rotated.id_enc)
    owner_client = signed_in(after, "13712345678", "owner-password")   # mobile login: a look-up hash
    bound = bind_form(owner_client, name, number, "code", code)         # name + ID matched by hash
    assert bound.status_int == 302, bound.text[:300]
    assert name in signed_in(after, "district").get(MINGYUAN + "register/@export-full.csv").text
    conn = after.registry._zodb_databases[""].open()
    entries = [e for e in conn.root()[ROOT_KEY].audit_log.under("/", limit=5)
               if e["action"] == "register.id_key_rotated"]
    assert entries and entries[0]["detail"]["values"] == str(total)
    transaction.abort()
    conn.close()
    close(after)


def test_the_command_counts_rotates_and_says_when_the_retired_key_can_go(tmp_path, made_with_old_key):
    ini = ini_file(tmp_path, settings(tmp_path, id_key=NEW, id_key_retired=OLD, id_lookup_key=OLD))
    command = [sys.executable, "-m", "portal.scripts.rotate_id_key", str(ini)]
    check = subprocess.run(command + ["--check"], capture_output=True, text=True)
    assert check.returncode == 1 and "still encrypted with a retired key" in check.stdout
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0 and "can be removed" in done.stdout, done.stderr[-2000:]
    again = subprocess.run(command + ["--check"], capture_output=True, text=True)
    assert again.returncode == 0
    assert ALICE[0] not in done.stdout + done.stderr and "1371234" not in done.stdout + done.stderr
