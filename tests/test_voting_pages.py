"""An owner votes through the real pages; results page and downloads after the close."""
import datetime
import io

from openpyxl import load_workbook

from portal import clock
from portal.ballots.rules import midnight
from tests.test_voting import ALL_AGREE, BALLOT, voting_time


def radios(form):
    return [name for name, fields in form.fields.items() if type(fields[0]).__name__ == "Radio"]


def test_an_owner_votes_on_three_matters_with_a_confirmation_step(app, as_role, portal_in):
    voting_time(portal_in)
    owner = as_role("owner1")
    ballot = owner.get(BALLOT + "/")
    assert "进度" in ballot.text and ballot.html.select(".bar-figure svg line.quorum")
    vote_page = ballot.click(href="@vote$")
    assert "三分之二以上" in vote_page.text and "拟修订议事规则第十二条" in vote_page.text
    form = vote_page.forms["form"]
    names = radios(form)
    assert len(names) == 3
    form[names[0]] = "agree"
    form[names[1]] = "oppose"
    review = form.submit("review", status=400)             # the third is missing
    assert "请选择同意、反对或弃权" in review.text
    form = review.forms["form"]
    form[radios(form)[2]] = "abstain"
    confirm = form.submit("review")
    assert "同意" in confirm.text and "反对" in confirm.text and "弃权" in confirm.text
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box.records() == []   # not yet
    receipt_page = confirm.forms["confirm"].submit("confirm")
    code = receipt_page.html.select(".receipt-code")[0].text.strip()
    assert len(code) == 14
    check = receipt_page.click(href="@receipt")
    assert [li.text.split(": ")[1] for li in check.html.select("ol.choices li")] == ["✓ 同意", "✗ 反对", "○ 弃权"]
    again = owner.get(BALLOT + "/@vote")
    assert "您的房屋已在本次表决中投票" in again.text and not again.forms.get("form")
    resubmit = confirm.forms["confirm"].submit("confirm")      # the same confirmation twice: one vote
    assert resubmit.status_int in (200, 409)
    with portal_in() as portal:
        box = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].box
        assert box.voted_owners() == 1


def test_results_page_and_downloads(app, as_role, portal_in, api):
    voting_time(portal_in)
    for login in ("owner1", "owner2"):
        client, headers = api(login)
        client.post_json(BALLOT + "/@vote", {"votes": ALL_AGREE}, headers=headers)
    with portal_in() as portal:
        end = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"].end_date
    clock.set_now(midnight(end + datetime.timedelta(days=1)) + datetime.timedelta(hours=9))
    street, headers = api("street")
    street.post_json(BALLOT + "/@workflow/publish_preliminary", {}, headers=headers)
    owner = as_role("owner3")
    page = owner.get(BALLOT + "/@results")
    assert len(page.html.select("section.result")) == 3
    assert "未通过" in page.text and page.html.select("svg.hbars line.quorum")
    csv_text = owner.get(BALLOT + "/@results.csv").body.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("表决事项,类别")
    book = load_workbook(io.BytesIO(owner.get(BALLOT + "/@results.xlsx").body))
    assert book.active.max_row == 4
    pdf = owner.get(BALLOT + "/@results.pdf")
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    as_role("street").get(BALLOT + "/@results")
