"""Binding answers the same way whether the name and ID number matched the register or not, for
every method (issue 15): a stranger learns nothing about who is in the register."""
import re

from tests.binding_helpers import bind_form, issue_letter, reveal, sign_up, some_owner
from tests.test_unit_sold import resident_id


def message(page):
    """The page's main part without what differs by design (the values typed back into the form)."""
    main = page.text.split('<main', 1)[1].split("<form", 1)[0]
    return re.sub(r'value="[^"]*"', "", main)


def test_a_code_letter_fails_in_the_same_words_for_a_stranger_and_for_the_owner(app, as_role, portal_in):
    unit_id, index, owner = some_owner(portal_in, 3)
    name, number = reveal(app, owner)
    issue_letter(as_role("street"), unit_id, index)           # the owner has a real code somewhere
    stranger = bind_form(sign_up(app, "13712340001"), "不存在的人", resident_id("11010119800101001"),
                         code="AAAA-BBBB-CCCC")
    wrong_code = bind_form(sign_up(app, "13712340002"), name, number, code="AAAA-BBBB-CCCC")
    assert stranger.status_int == wrong_code.status_int == 400
    assert message(stranger) == message(wrong_code)
    assert "信息与登记不符，或核验未通过" in stranger.text and "信息与登记不符，或核验未通过" in wrong_code.text


def test_the_face_method_goes_to_the_provider_whether_or_not_the_details_match(app, portal_in):
    _unit_id, _index, owner = some_owner(portal_in, 4)
    name, number = reveal(app, owner)
    matching = bind_form(sign_up(app, "13712340003"), name, number, method="face")
    stranger = bind_form(sign_up(app, "13712340004"), "不存在的人", resident_id("11010119800101002"),
                         method="face")
    assert matching.status_int == stranger.status_int == 302
    assert "@face-consent" in matching.location and "@face-consent" in stranger.location
    with portal_in() as portal:
        records = sorted(portal.face_requests.values(), key=lambda r: r["matched"])
        assert [r["matched"] for r in records] == [False, True]
