"""The vote record on a phone: an owner finds their own line with the receipt code (typed with
spaces and in lower case) and recomputes the results in the browser; axe finds no violation."""
import datetime

import webtest
from selenium.webdriver.common.by import By

from portal import clock
from portal.ballots.rules import midnight
from tests.browser.conftest import audit, shot
from tests.browser.test_journeys import fill, sign_in, wait_for_text
from tests.conftest import token_for

BALLOT = "/tianhe/shipai/mingyuan/ballots/b2"


def disclosed_with_votes(app):
    """The demo ballot voted on by owner1 and owner2, then finally disclosed; owner1's receipt."""
    client = webtest.TestApp(app)

    def headers(login):
        return {"Accept": "application/json", "Authorization": "Bearer " + token_for(client, login)}

    start = datetime.date.fromisoformat(client.get(BALLOT, headers=headers("street")).json["start_date"])
    end = datetime.date.fromisoformat(client.get(BALLOT, headers=headers("street")).json["end_date"])
    clock.set_now(midnight(start) + datetime.timedelta(days=1, hours=9))
    receipt = client.post_json(BALLOT + "/@vote", {"votes": {"m1": "agree", "m2": "oppose", "m3": "abstain"}},
                               headers=headers("owner1")).json["receipt"]
    client.post_json(BALLOT + "/@vote", {"votes": {"m1": "agree", "m2": "agree", "m3": "agree"}},
                     headers=headers("owner2"))
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    client.post_json(BALLOT + "/@workflow/publish_preliminary", {"comment": ""}, headers=headers("street"))
    clock.set_now(midnight(end + datetime.timedelta(days=10)) + datetime.timedelta(hours=9))
    assert client.get(BALLOT, headers=headers("street")).json["phase"] == "disclosed"
    return receipt


def test_an_owner_finds_their_line_and_recomputes_on_a_phone(server, phone):
    app, base = server
    receipt = disclosed_with_votes(app)
    sign_in(phone, base, "owner1")
    phone.get(base + BALLOT + "/@record")
    fill(phone, "code", " " + receipt.lower().replace("-", " ") + " ")
    phone.find_element(By.CSS_SELECTOR, "#find-line button").click()
    wait_for_text(phone, "您的记录已在下方标出")
    assert len(phone.find_elements(By.CSS_SELECTOR, "tr.mine")) == 1
    phone.find_element(By.ID, "recompute").click()
    wait_for_text(phone, "都与公布的结果一致")
    shot(phone, "owner-09-vote-record")
    audit(phone, "vote record")
