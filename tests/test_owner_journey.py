"""The owner's way through the portal (issue 16, first part): sign-in lands on /@my, the header
links to it, a bound owner is not asked to bind again, and after voting the ballot says so."""
from tests.conftest import browser, sign_in
from tests.test_voting import ALL_AGREE, BALLOT, owner, voting_time

COMMUNITY = "/tianhe/shipai/mingyuan/"


def test_an_owner_lands_on_their_home_and_staff_where_they_were_going(app):
    client = browser(app)
    landed = sign_in(client, "owner1")
    assert landed.location.endswith("/@my")
    page = landed.follow()
    assert page.html.select('nav.user a[href$="/@my"]')
    staff = browser(app)
    assert not sign_in(staff, "street").location.endswith("/@my")


def test_a_bound_owner_is_not_asked_to_bind_again(app, as_role):
    from tests.binding_helpers import sign_up

    assert "@bind" not in as_role("owner1").get(COMMUNITY).text
    assert "@bind" in sign_up(app, "13712349999").get(COMMUNITY).text     # a new owner is


def test_after_voting_the_ballot_says_so_instead_of_vote_now(app, portal_in, as_role):
    voting_time(portal_in)
    page = as_role("owner1").get(BALLOT)
    assert page.html.select("a.btn-large[href$='@vote']") and "您已投票" not in page.text
    client, headers = owner(app, "owner1")
    client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    page = as_role("owner1").get(BALLOT)
    assert "您已投票" in page.text and not page.html.select("a.btn-large[href$='@vote']")
