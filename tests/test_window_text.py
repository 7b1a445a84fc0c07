"""One way of saying a voting window, everywhere: it ends at 24:00 of its last day."""
import datetime

from portal.ballots.rules import window_text


def test_the_window_ends_at_24_00_of_the_last_day_never_00_00_of_the_next():
    start, last = datetime.date(2026, 12, 19), datetime.date(2027, 1, 1)
    assert window_text(start, last) == "2026年12月19日0时至2027年1月1日24时"
    assert window_text(start, last, chinese=False) == "0:00 on 19 December 2026 to 24:00 on 1 January 2027"
    assert window_text(last, last) == "2027年1月1日0时至2027年1月1日24时"


def test_the_ballot_page_and_the_notice_say_it_so(anon, portal_in):
    with portal_in() as portal:
        ballot = portal["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        expected = window_text(ballot.start_date, ballot.end_date)
    for path in ("/tianhe/shipai/mingyuan/ballots/b2", "/tianhe/shipai/mingyuan/ballots/b2/@notice",
                 "/tianhe/@notices"):
        assert expected in anon.get(path).text, path
