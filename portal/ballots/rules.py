"""The rules of a ballot's life (DOMAIN.md "Matters and thresholds", "The life of a ballot").

Plain functions, no Pyramid.  Dates are calendar days in Asia/Shanghai; instants are aware
datetimes.  A voting window runs from 00:00 of its first day to 00:00 after its last day.
"""
import datetime

from portal.clock import SHANGHAI
from portal.i18n import _

ORDINARY = "ordinary"
SPECIAL = "special"
DEFAULT_NOTICE_DAYS = 15
MAX_WINDOW_DAYS = 30
DEFAULT_OBJECTION_DAYS = 7
NOTICE_DAYS_RANGE = (15, 60)
OBJECTION_DAYS_RANGE = (1, 30)

# Civil Code art. 278: category -> (rule, title)
CATEGORIES = {
    1: (ORDINARY, _("Make or amend the rules of procedure of the owners' assembly")),
    2: (ORDINARY, _("Make or amend the management statute")),
    3: (ORDINARY, _("Elect or replace the owners' committee or its members")),
    4: (ORDINARY, _("Hire or dismiss the property service company or other manager")),
    5: (ORDINARY, _("Use the building maintenance fund")),
    6: (SPECIAL, _("Raise the building maintenance fund")),
    7: (SPECIAL, _("Rebuild or reconstruct buildings and their facilities")),
    8: (SPECIAL, _("Change the use of common parts, or use them for business")),
    9: (ORDINARY, _("Other major matters of common ownership and management")),
}
RULE_WORDS = {
    ORDINARY: _("Passes if owners holding at least two thirds of the area and at least two thirds of "
                "the owners take part, and more than half of the participating area and more than "
                "half of the participating owners agree (Civil Code art. 278)."),
    SPECIAL: _("Passes if owners holding at least two thirds of the area and at least two thirds of "
               "the owners take part, and at least three quarters of the participating area and at "
               "least three quarters of the participating owners agree (Civil Code art. 278)."),
}


def rule_of(category):
    return CATEGORIES[category][0]


def local_date(instant):
    return instant.astimezone(SHANGHAI).date()


def midnight(day):
    """00:00 Asia/Shanghai at the start of ``day``, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(0), SHANGHAI)


def window(start_day, last_day):
    """(opens, closes): 00:00 of the first day to 00:00 after the last day."""
    return midnight(start_day), midnight(last_day + datetime.timedelta(days=1))


def window_days(start_day, last_day):
    return (last_day - start_day).days + 1


def earliest_start(published_day, notice_days=DEFAULT_NOTICE_DAYS):
    """The first day voting may start after a notice published on ``published_day``: the
    publication day is not counted (Civil Code art. 201), then ``notice_days`` full days pass."""
    return published_day + datetime.timedelta(days=notice_days + 1)


def notice_problem(published, start_day, notice_days=DEFAULT_NOTICE_DAYS):
    """None if a notice published at ``published`` leaves ``notice_days`` full days before voting.

    Published on 1 November, the fifteen days are 2-16 November, and voting may start on
    17 November at the earliest.  The message names that day as people say it in each language
    (``earliest`` in English, ``earliest_zh`` in the Chinese translation)."""
    earliest = earliest_start(local_date(published), notice_days)
    if start_day < earliest:
        return _("The notice must be published at least ${days} days before voting starts (the day of "
                 "publication not counted): voting could start on ${earliest} at the earliest.",
                 mapping=dict(day_mapping("earliest", earliest), days=notice_days))
    return None


def last_notice_day(start_day, notice_days=DEFAULT_NOTICE_DAYS):
    """The last day a notice may be published for voting to start on ``start_day`` (the
    publication day not counted, as ``notice_problem`` says)."""
    return start_day - datetime.timedelta(days=notice_days + 1)


def earliest_starts(today, days_range=NOTICE_DAYS_RANGE):
    """{notice days: the earliest first day of voting if the notice were published ``today``}
    for every allowed notice period: what the draft form's live hint compares against."""
    return {days: earliest_start(today, days) for days in range(days_range[0], days_range[1] + 1)}


def window_problem(start_day, last_day, max_days=MAX_WINDOW_DAYS):
    """None if the window is 1 to ``max_days`` days long, extensions included."""
    if last_day < start_day:
        return _("The last voting day is before the first.")
    if window_days(start_day, last_day) > max_days:
        return _("Voting may last at most ${days} days in total, extensions included.",
                 mapping={"days": max_days})
    return None


def objection_ends(preliminary_published, days=DEFAULT_OBJECTION_DAYS):
    """00:00 after the last day of the objection period (publication day not counted)."""
    return midnight(local_date(preliminary_published) + datetime.timedelta(days=days + 1))


def objection_last_day(preliminary_published, days=DEFAULT_OBJECTION_DAYS):
    """The objection period's last day (a local date; objections are accepted until 24:00 of it)."""
    return local_date(preliminary_published) + datetime.timedelta(days=days)


# ---- Drafting elections and choices (DOMAIN.md "Kinds of matter") ---------------------------
ELECTION_CATEGORY = 3
SEATS = (1, 21)
ALTERNATES = (0, 10)
OPTIONS = (2, 10)


def election_problems(seats, alternates, names):
    """What is wrong with an election as drafted: [(field, message)] (empty when it may be kept)."""
    found = []
    if not SEATS[0] <= seats <= SEATS[1]:
        found.append(("seats", _("An election fills 1 to 21 seats.")))
    if not ALTERNATES[0] <= alternates <= ALTERNATES[1]:
        found.append(("alternates", _("An election has 0 to 10 alternates.")))
    if not names:
        found.append(("candidates", _("Add at least one candidate.")))
    elif len(names) < seats:
        found.append(("candidates", _("There are fewer candidates (${count}) than seats (${seats}).",
                                      mapping={"count": len(names), "seats": seats})))
    twice = listed_twice(names)
    if twice:
        found.append(("candidates", _("A candidate is listed twice: ${name}.", mapping={"name": twice})))
    return found


def listed_twice(texts):
    """The first text that appears twice (white space aside), or None."""
    normalized = [" ".join(t.split()) for t in texts]
    twice = sorted({t for t in normalized if normalized.count(t) > 1})
    return twice[0] if twice else None


def choice_problems(titles):
    found = []
    if not OPTIONS[0] <= len(titles) <= OPTIONS[1]:
        found.append(("options", _("A choice offers 2 to 10 options.")))
    twice = listed_twice(titles)
    if twice:
        found.append(("options", _("An option is listed twice: ${title}.", mapping={"title": twice})))
    return found


def matter_words(matter):
    """How a matter is decided, in plain words for the notice and the ballot page."""
    kind = matter.get("kind") or "question"
    if kind == "election":
        return _("${seats} seat(s) to fill, ${alternates} alternate(s). Mark each candidate agree, oppose or "
                 "abstain; agree to at most ${seats}. A candidate is elected with more than half of the "
                 "participating owners and of their area agreeing (and two thirds taking part); if more "
                 "qualify than there are seats, those with the most agreeing owners, then area, are elected.",
                 mapping={"seats": matter["seats"], "alternates": matter.get("alternates", 0)})
    if kind == "choice":
        share = _("three quarters") if rule_of(matter["category"]) == SPECIAL else _("more than half")
        return _("Choose one of the ${count} options, or abstain. An option is adopted only if ${share} of the "
                 "participating owners and of their area choose it (and two thirds take part); otherwise "
                 "none is adopted.", mapping={"count": len(matter["options"]), "share": share})
    return RULE_WORDS[rule_of(matter["category"])]


def day_text(day, chinese=True):
    """'2026年12月19日' / '19 December 2026'."""
    return f"{day.year}年{day.month}月{day.day}日" if chinese else f"{day.day} {day:%B} {day.year}"


def day_mapping(name, day):
    """A day for a message's mapping, as people say it in each language: ``name`` in English
    ('17 November 2026'), ``name_zh`` in Chinese ('2026年11月17日'), ``name_iso`` for machines."""
    return {name: day_text(day, chinese=False), f"{name}_zh": day_text(day), f"{name}_iso": day.isoformat()}


def window_text(start_day, last_day, chinese=True):
    """A voting window as people say it, everywhere (pages, notices, PDFs, messages): it ends at
    24:00 of its last day, never at 00:00 of the next: '2026年12月19日0时至2027年1月1日24时'."""
    if chinese:
        return f"{day_text(start_day)}0时至{day_text(last_day)}24时"
    return f"0:00 on {day_text(start_day, False)} to 24:00 on {day_text(last_day, False)}"


def notice_days_problem(days, low=NOTICE_DAYS_RANGE[0], high=NOTICE_DAYS_RANGE[1]):
    """None if a ballot's notice period of ``days`` whole days is allowed (15 to 60)."""
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        return _("The notice period is a whole number of days from ${low} to ${high}.",
                 mapping={"low": low, "high": high})
    return None


def objection_days_problem(days, low=OBJECTION_DAYS_RANGE[0], high=OBJECTION_DAYS_RANGE[1]):
    """None if a ballot's objection period of ``days`` whole days is allowed (1 to 30)."""
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        return _("The objection period is a whole number of days from ${low} to ${high}.",
                 mapping={"low": low, "high": high})
    return None
