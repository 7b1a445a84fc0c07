"""Personal data is kept no longer than needed (PIPL): pending face requests, sign-up codes,
throttle records and abandoned import previews expire through ``portal.privacy.expire``, and a
pack removes them from the file."""
import datetime

from portal import clock, privacy
from tests.conftest import browser, sign_in
from tests.registers import csv_file, small_rows
from tests.test_binding_face import consent, start_face
from tests.test_register_import import upload_page

QIAOYUAN = "/tianhe/shipai/qiaoyuan/register/"


def test_expiry_rules_at_their_edges():
    now = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.timezone.utc)
    assert privacy.face_request_expired({"expires": now - privacy.FACE_GRACE}, now)
    assert not privacy.face_request_expired({"expires": now - privacy.FACE_GRACE + datetime.timedelta(seconds=1)}, now)
    assert privacy.phone_code_expired({"expires": now}, now)
    assert not privacy.phone_code_expired({"expires": now + datetime.timedelta(seconds=1)}, now)
    assert privacy.preview_expired({"created": now - privacy.PREVIEW_KEEP}, now)
    assert not privacy.preview_expired({"created": now - privacy.PREVIEW_KEEP + datetime.timedelta(seconds=1)}, now)
    assert not privacy.preview_expired(None, now)


def leave_personal_data_behind(app, portal_in):
    """A face request never finished, a code never used, failed sign-ins, a preview never applied."""
    client, consent_page, _owner, _name = start_face(app, portal_in)
    consent(consent_page)
    form = browser(app).get("/@register").forms["form"]
    form["phone"] = "13900000001"
    form.submit("send")
    sign_in(browser(app), "street", "wrong-password")
    assert upload_page(sign_in_as(app, "district"), QIAOYUAN, csv_file(small_rows())).status_int == 200


def sign_in_as(app, role):
    client = browser(app)
    sign_in(client, role)
    return client


def test_expired_personal_data_is_deleted_and_packed_out_of_the_file(app, db, portal_in, tmp_path):
    start = clock.real_now()
    clock.set_now(start)
    leave_personal_data_behind(app, portal_in)
    with portal_in() as portal:
        secrets = [r["name_enc"] for r in portal.face_requests.values() if r["state"] == "pending"]
        preview = portal["tianhe"]["shipai"]["qiaoyuan"]["register"].pending
        secrets += [o.name_enc for unit in preview["units"] for o in unit.owners][:3]
        assert secrets and len(portal.phone_codes) and len(portal.throttle._failures)
    with portal_in(commit=True) as portal:            # nothing is due yet
        assert privacy.expire(portal, start + datetime.timedelta(minutes=5)) == {
            "face_requests": 0, "phone_codes": 0, "throttle": 0, "import_previews": 0, "unbind_requests": 0}
    later = start + datetime.timedelta(days=1, minutes=1)
    with portal_in(commit=True) as portal:
        counts = privacy.expire(portal, later)
    assert counts["face_requests"] >= 1 and counts["phone_codes"] >= 1
    assert counts["throttle"] >= 2 and counts["import_previews"] == 1
    with portal_in() as portal:
        assert not portal.face_requests and not portal.phone_codes and not portal.throttle._failures
        assert portal["tianhe"]["shipai"]["qiaoyuan"]["register"].pending is None
    data_fs = tmp_path / "Data.fs"
    assert all(secret in data_fs.read_bytes() for secret in secrets)     # old revisions still hold them
    clock.set_now(None)
    db.pack()
    content = data_fs.read_bytes()
    assert not [secret for secret in secrets if secret in content]


def test_portal_tick_looks_through_the_registers_once_an_hour_though_each_run_is_a_new_process(
        db, app, monkeypatch):
    """portal-tick is a new process every minute: the last look through every register is kept in
    the database, so the second run a minute later reads no register, and one an hour later does."""
    import datetime

    import transaction

    from portal import clock, privacy

    looked = []
    real_registers = privacy.registers
    monkeypatch.setattr(privacy, "registers", lambda portal: looked.append(1) or real_registers(portal))
    start = clock.real_now()

    def run(at):
        monkeypatch.setattr(clock, "real_now", lambda: at)
        conn = db.open(transaction.TransactionManager(explicit=True))
        try:
            return privacy.ExpiryJob()(conn, app.registry)     # a new job object: a new process
        finally:
            conn.close()

    run(start)
    run(start + datetime.timedelta(minutes=1))
    assert len(looked) == 1
    run(start + datetime.timedelta(minutes=61))
    assert len(looked) == 2
