"""An owner whose identity another account holds asks the street office to unbind it (issue 20:
"bindings to unbind on request"): the request is filed only after the identity is proved again,
waits on the street's worklist, and goes when staff unbind the old account or decline; the owner's
letter is not used up meanwhile, so it binds afterwards.  No personal data reaches the request,
the worklist or the audit log."""
import pytest
import webtest

from portal import clock
from portal.binding import codes, unbind_requests
from tests.binding_helpers import MINGYUAN, bind_form, issue_letter, reveal, sign_up, some_owner
from tests.conftest import sign_in, token_for
from tests.test_binding_face import callback, consent

WORKLIST = "/tianhe/shipai/@worklist"


@pytest.fixture
def street(app):
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(client, "street")
    return client


def register_of(portal):
    return portal["tianhe"]["shipai"]["mingyuan"]["register"]


def unbind_lines(street):
    return [i for i in street.get(WORKLIST, headers={"Accept": "application/json"}).json["items"]
            if i["kind"] == "unbind"]


def bound_twice(app, portal_in, street):
    """An owner bound from a first account; a second account holding a new letter for them is
    refused.  Returns (second client, the refusal page, letter code, owner, unit id, owner index)."""
    unit_id, index, owner = some_owner(portal_in, 3)
    name, number = reveal(app, owner)
    first = sign_up(app, "13712340001")
    assert bind_form(first, name, number, code=issue_letter(street, unit_id, index)).status_int == 302
    second = sign_up(app, "13712340002")
    code = issue_letter(street, unit_id, index)
    refused = bind_form(second, name, number, code=code)
    return second, refused, code, owner, unit_id, index


def test_the_refusal_offers_the_request_and_keeps_the_letter(app, portal_in, street):
    _second, refused, code, owner, _unit_id, _index = bound_twice(app, portal_in, street)
    assert refused.status_int == 400
    assert "该业主身份已绑定在另一个账户上" in refused.text
    form = refused.forms["form"]
    assert "request_unbind" in form.fields and form["code"].value == code        # nothing to type again
    with portal_in() as portal:
        register = register_of(portal)
        letters = [key for key, r in register.codes.items() if r["id_hash"] == owner.id_hash]
        uses = [codes.use_of(register, key) for key in letters]
        assert [u for u in uses if u is None or u["state"] != "superseded"].count(None) == 1
        assert not unbind_requests.pending(register_of(portal))
    assert unbind_lines(street) == []


def test_a_request_waits_on_the_worklist_until_staff_unbind_then_the_owner_binds(app, portal_in, street):
    second, refused, code, owner, unit_id, index = bound_twice(app, portal_in, street)
    asked = refused.forms["form"].submit("request_unbind")
    assert asked.status_int == 302 and asked.location.endswith(MINGYUAN + "@bind")
    page = asked.follow()
    assert "您的申请已送达街道办" in page.text and "街道办核实后会解除原绑定" in page.text
    assert "id_number" not in page.text and "返回我的首页" in page.text      # nothing to do but wait
    lines = unbind_lines(street)
    assert len(lines) == 1 and lines[0]["title"] == "业主请求解除原绑定账户"
    assert lines[0]["@id"].endswith(MINGYUAN + f"register/{unit_id}/@unbind?i={index}")
    assert street.get(WORKLIST, headers={"Accept": "application/json"}).json["counts"]["unbind"] == 1
    staff_page = street.get(lines[0]["@id"].replace("http://localhost", ""))
    assert "请求解除目前绑定的账户" in staff_page.text and "用绑定码告知书" in staff_page.text
    form = staff_page.forms["form"]
    assert form["reason"].value == "owner_request"                  # the request is the reason
    form.submit("unbind").follow()
    assert unbind_lines(street) == []
    assert "街道办已于" in second.get(MINGYUAN + "@bind").text
    bound = bind_form(second, *reveal(app, owner), code=code)         # the same letter, unused till now
    assert bound.status_int == 302 and bound.location.endswith("/@my")
    with portal_in() as portal:
        register = register_of(portal)
        assert owner.id_hash not in register.unbind_requests         # served its purpose: forgotten
        actions = [e["action"] for e in portal.audit_log.under(MINGYUAN, limit=8)]
        assert "binding.unbind_request" in actions and "binding.unbind" in actions
        name, number = reveal(app, owner)
        for entry in portal.audit_log.under(MINGYUAN, limit=8):
            assert name not in repr(entry) and number not in repr(entry)


def test_staff_may_decline_and_the_owner_is_told(app, portal_in, street):
    second, refused, _code, owner, unit_id, index = bound_twice(app, portal_in, street)
    refused.forms["form"].submit("request_unbind")
    page = street.get(MINGYUAN + f"register/{unit_id}/@unbind", {"i": index})
    confirm = page.click(description="不同意业主的申请")
    assert "不同意业主的申请" in confirm.text and "到街道办" in confirm.text
    [f for f in confirm.forms.values() if "@unbind-decline" in f.action][0].submit().follow()
    assert unbind_lines(street) == []
    assert "街道办未同意解除原绑定" in second.get(MINGYUAN + "@bind").text
    with portal_in() as portal:
        register = register_of(portal)
        assert register.bindings[owner.id_hash] and register.unbind_requests[owner.id_hash]["state"] == "declined"
        assert [e["action"] for e in portal.audit_log.under(MINGYUAN, limit=1)] == ["binding.unbind_request_declined"]
    # without a waiting request the page offers no decline
    assert "@unbind-decline" not in street.get(MINGYUAN + f"register/{unit_id}/@unbind", {"i": index}).text


def test_the_json_api_answers_409_then_files_the_request(app, portal_in, street):
    unit_id, index, owner = some_owner(portal_in, 5)
    name, number = reveal(app, owner)
    assert bind_form(sign_up(app, "13712340003"), name, number, code=issue_letter(street, unit_id, index)).status_int == 302
    sign_up(app, "13712340004")
    second = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    headers = {"Accept": "application/json",
               "Authorization": "Bearer " + token_for(second, "13712340004", "owner-password")}
    body = {"name": name, "id_type": "resident_id", "id_number": number, "method": "code",
            "code": issue_letter(street, unit_id, index)}
    answer = second.post_json(MINGYUAN + "@bind", body, headers=headers, status="*")
    assert answer.status_int == 409 and answer.json["error"] == "bound_elsewhere", answer.text[:300]
    filed = second.post_json(MINGYUAN + "@unbind-request", body, headers=headers)
    assert filed.json["state"] == "pending" and filed.json["decided"] is None
    assert len(unbind_lines(street)) == 1
    again = second.post_json(MINGYUAN + "@unbind-request", body, headers=headers)
    assert again.json["requested"] == filed.json["requested"]          # asked twice: one request
    for key in ("name", "id_number"):
        assert body[key] not in filed.text


def test_after_face_verification_the_owner_is_offered_the_request(app, portal_in, street):
    unit_id, index, owner = some_owner(portal_in, 7)
    name, number = reveal(app, owner)
    assert bind_form(sign_up(app, "13712340005"), name, number, code=issue_letter(street, unit_id, index)).status_int == 302
    second = sign_up(app, "13712340006")
    consent(bind_form(second, name, number, method="face").follow())
    with portal_in() as portal:
        nonce = [n for n, r in portal.face_requests.items() if r["state"] == "pending"][0]
    clock.set_now(clock.real_now())
    assert callback(webtest.TestApp(app), nonce).json == {"accepted": True, "bound": False}
    offer = second.get("/@face-return", {"request_id": nonce})
    assert "请街道办解除原绑定？" in offer.text
    filed = [f for f in offer.forms.values() if "@unbind-request" in f.action][0].submit().follow()
    assert "您已于" in filed.text
    lines = unbind_lines(street)
    assert len(lines) == 1
    assert "通过人脸识别" in street.get(lines[0]["@id"].replace("http://localhost", "")).text
    with portal_in() as portal:
        assert nonce not in portal.face_requests                     # the verification is used up
    assert second.get("/@face-return", {"request_id": nonce}).status_int == 302


def test_requests_refuse_what_there_is_nothing_to_ask():
    from BTrees.OOBTree import OOBTree

    from portal.register.records import Binding

    class Register:
        __parent__ = None
        bindings, unbind_requests = OOBTree(), OOBTree()

    register = Register()
    with pytest.raises(unbind_requests.RequestRefused):
        unbind_requests.can_ask(register, "h", "me")                  # not bound: bind instead
    register.bindings["h"] = Binding.make(uid="me", when=None, method="code")
    with pytest.raises(unbind_requests.RequestRefused):
        unbind_requests.can_ask(register, "h", "me")                  # bound to the asker already
    register.bindings["h"] = Binding.make(uid="other", when=None, method="code")
    unbind_requests.can_ask(register, "h", "me")


def test_a_decided_request_is_deleted_thirty_days_after(app, portal_in, street):
    import datetime

    from portal import privacy

    _second, refused, _code, owner, unit_id, index = bound_twice(app, portal_in, street)
    refused.forms["form"].submit("request_unbind")
    page = street.get(MINGYUAN + f"register/{unit_id}/@unbind", {"i": index})
    [f for f in page.click(description="不同意业主的申请").forms.values()
     if "@unbind-decline" in f.action][0].submit()
    with portal_in() as portal:
        decided = register_of(portal).unbind_requests[owner.id_hash]["decided"]
    with portal_in(commit=True) as portal:
        assert privacy.expire(portal, decided + datetime.timedelta(days=29))["unbind_requests"] == 0
    with portal_in(commit=True) as portal:
        assert privacy.expire(portal, decided + datetime.timedelta(days=30))["unbind_requests"] == 1
    with portal_in() as portal:
        assert owner.id_hash not in register_of(portal).unbind_requests
