"""The owner's view-model of a ballot and the results' words: boundary cases, no web."""
import datetime

from portal.ballots.rules import midnight
from portal.voting import owner_view
from portal.voting.results_words import area_text, hundredths, percent_text, question_reason, share

DAY = datetime.date


class FakeBallot:
    def __init__(self, phase, allow_vote_change=False, published=None):
        self._phase = phase
        self.start_date, self.end_date = DAY(2026, 12, 19), DAY(2027, 1, 31)
        self.allow_vote_change = allow_vote_change
        self.objection_days = 7
        self.history = ({"when": published or midnight(DAY(2027, 2, 2)) + datetime.timedelta(hours=10)},)

    def phase(self):
        return self._phase


NOW = midnight(DAY(2026, 12, 20)) + datetime.timedelta(hours=9)


def words(status):
    return status.message.interpolate()


def test_the_end_of_a_day_is_24_of_that_day_with_the_year_only_when_another():
    assert owner_view.day_end_text(DAY(2027, 1, 31), DAY(2027, 1, 2)) == "1月31日24时"
    assert owner_view.day_end_text(DAY(2027, 1, 31), DAY(2026, 12, 31)) == "2027年1月31日24时"
    assert owner_view.day_start_text(DAY(2026, 12, 19), DAY(2026, 1, 1)) == "12月19日0时"
    assert owner_view.day_end_text(DAY(2027, 1, 31), DAY(2027, 1, 2), chinese=False) == "24:00 on 31 January"


def test_each_phase_has_its_words_and_next_step():
    upcoming = owner_view.status(FakeBallot("notice"), None, NOW, False)
    assert upcoming.key == "upcoming" and upcoming.action[1] == "@notice"
    to_vote = owner_view.status(FakeBallot("voting"), None, NOW, False)
    assert to_vote.key == "to-vote" and to_vote.urgent and to_vote.action[1] == "@vote"
    assert to_vote.message.mapping["end"] == "2027年1月31日24时"
    voted = owner_view.status(FakeBallot("voting"), NOW, NOW, False)
    assert voted.key == "voted" and voted.action == () and voted.extra[0][1] == "@receipt"
    changeable = owner_view.status(FakeBallot("voting", allow_vote_change=True), NOW, NOW, False)
    assert changeable.action[1] == "@vote" and "${end}" in changeable.message
    counting = owner_view.status(FakeBallot("counting"), None, NOW, False)
    assert counting.key == "counting" and counting.extra == ()
    assert owner_view.status(FakeBallot("counting"), NOW, NOW, False).extra[0][1] == "@receipt"
    assert owner_view.status(FakeBallot("counting"), NOW, NOW, True).voted and not counting.voted
    assert owner_view.status(FakeBallot("disclosed"), NOW, NOW, True).extra[0][1] == "@receipt"
    preliminary = owner_view.status(FakeBallot("counting"), None, NOW, True)
    assert preliminary.key == "preliminary" and preliminary.action[1] == "@results"
    assert owner_view.status(FakeBallot("disclosed"), None, NOW, True).key == "final"
    assert owner_view.status(FakeBallot("ended"), None, NOW, False).key == "ended"


def test_the_objection_period_ends_seven_days_after_the_publication_day():
    # published 2 February: the day is not counted, objections until 9 February 24:00
    assert owner_view.objection_last_day(FakeBallot("counting")) == DAY(2027, 2, 9)
    late = FakeBallot("counting", published=midnight(DAY(2027, 2, 2)) + datetime.timedelta(hours=23, minutes=59))
    assert owner_view.objection_last_day(late) == DAY(2027, 2, 9)


def test_why_the_voting_page_refuses():
    assert owner_view.refusal(FakeBallot("notice"), NOW).mapping["start"] == "12月19日0时"
    assert "${end}" in owner_view.refusal(FakeBallot("counting"), NOW)
    assert "${last}" in owner_view.refusal(FakeBallot("counting"), NOW, results_visible=True)
    assert "final" in owner_view.refusal(FakeBallot("disclosed"), NOW)


def test_percent_is_rounded_half_up_to_one_decimal_in_integers():
    assert percent_text(126, 187) == "67.4%"
    assert percent_text(1296012, 1907007) == "68.0%"
    assert percent_text(1, 8) == "12.5%" and percent_text(1, 16) == "6.3%"      # 6.25 -> 6.3
    assert percent_text(2, 3) == "66.7%" and percent_text(0, 0) == "0.0%" and percent_text(5, 5) == "100.0%"


def test_area_keeps_0_01_and_separates_thousands():
    assert area_text(1296012) == "12,960.12" and area_text("19070.07") == "19,070.07"
    assert area_text(5) == "0.05" and area_text(-150) == "-1.50"
    assert hundredths("88.5") == 8850 and hundredths("12") == 1200


def test_participation_as_the_issue_writes_it():
    assert share(126, 187, "12960.12", "19070.07") == {"owners": "126 / 187（67.4%）",
                                                       "area": "12,960.12 / 19,070.07 m²（68.0%）"}


def result(p_owners, p_area, t_owners=9, t_area="900.00", agree_owners=0, agree_area="0.00", passed=False,
           rule="ordinary"):
    return {"participating_owners": p_owners, "participating_area": p_area, "total_owners": t_owners,
            "total_area": t_area, "agree_owners": agree_owners, "agree_area": agree_area, "passed": passed,
            "rule": rule}


def test_the_reason_names_what_was_missing():
    assert "owners and of the area" in question_reason(result(5, "500.00"))
    assert "owners took part" in question_reason(result(5, "600.00"))      # 3·600 = 2·900: the area is enough
    assert "area took part" in question_reason(result(6, "599.99"))
    reason = question_reason(result(6, "600.00", agree_owners=4, agree_area="400.00", rule="special"))
    assert reason.mapping["owners"] == "4（66.7%）" and reason.mapping["area"] == "400.00 m²（66.7%）"
    assert "three quarters" in reason.mapping["need"]
