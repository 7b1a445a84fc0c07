"""On a phone (390x844, Chinese): an owner whose identity another account holds is refused with the
way out in words, asks the street office to unbind that account, and reads where the request
stands; axe finds nothing on either page."""
import contextlib

import webtest
from selenium.webdriver.common.by import By

from portal.bootstrap import ROOT_KEY
from tests.binding_helpers import MINGYUAN, bind_form, issue_letter, reveal, sign_up, some_owner
from tests.browser.conftest import audit, shot
from tests.browser.test_journeys import click_button, fill, signed_in, wait_for_text
from tests.conftest import sign_in


def opener(app):
    """``portal_in`` of tests.conftest for the browser tests' server: ``with portal_in() as portal``."""
    @contextlib.contextmanager
    def portal_in():
        with app.registry._zodb_databases[""].transaction() as conn:
            yield conn.root()[ROOT_KEY]
    return portal_in


def test_an_owner_asks_the_street_office_to_unbind_the_other_account(server, phone):
    app, base = server
    street = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
    sign_in(street, "street")
    unit_id, index, owner = some_owner(opener(app), 4)
    name, number = reveal(app, owner)
    assert bind_form(sign_up(app, "13712340101"), name, number,
                     code=issue_letter(street, unit_id, index)).status_int == 302
    code = issue_letter(street, unit_id, index)             # a new letter, in the hands of the owner
    sign_up(app, "13712340102")                               # the owner's new number
    phone.get(base + "/@login")
    fill(phone, "login", "13712340102")
    fill(phone, "password", "owner-password")
    click_button(phone, "signin")
    signed_in(phone, "the owner's new account")
    phone.get(base + MINGYUAN + "@bind")
    fill(phone, "name", name)
    fill(phone, "id_number", number)
    fill(phone, "code", code)
    click_button(phone, "bind")
    wait_for_text(phone, "该业主身份已绑定在另一个账户上")
    offer = phone.find_element(By.CSS_SELECTOR, "button[name=request_unbind]")
    assert offer.text == "请街道办解除原绑定" and offer.is_displayed()
    audit(phone, "bind refused: bound elsewhere")
    shot(phone, "owner-12-bound-elsewhere-message")
    assert "btn-primary" in offer.get_attribute("class")          # the way on, not binding again
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", offer)
    shot(phone, "owner-12-bound-elsewhere")
    offer.click()
    wait_for_text(phone, "您的申请已送达街道办")
    status = phone.find_element(By.CSS_SELECTOR, "main p.notice[role=status]").text
    assert "街道办核实后会解除原绑定" in status
    assert 'name="id_number"' not in phone.page_source              # not asked to bind again meanwhile
    audit(phone, "bind page with the request waiting")
    shot(phone, "owner-13-unbind-requested")
