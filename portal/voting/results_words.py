"""The results as people read them on a phone (no Pyramid): a headline per matter with the reason,
and every figure labelled owners or area, with one precision everywhere (percent to one decimal,
area to 0.01 m² with thousands separated).  The decisions come from the tally's integers; this
only words them."""
from portal.i18n import _
from portal.ballots import rules
from portal.voting.tally import CHOICE, ELECTION, quorum_line
from portal.voting.verdicts import carried, verdict


def hundredths(text):
    """'12960.12' (the results' area text) -> 1296012."""
    whole, _dot, cents = str(text).partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole or 0)) * 100 + int((cents + "00")[:2]))


def area_text(value):
    """0.01 m² (an int, or the results' text) -> '12,960.12'."""
    h = hundredths(value) if isinstance(value, str) else value
    sign = "-" if h < 0 else ""
    h = abs(h)
    return f"{sign}{h // 100:,}.{h % 100:02d}"


def percent_tenths(part, whole):
    """The ratio in tenths of a percent, rounded half up, in integers (674 for 67.4%); 0 of nothing."""
    return (2000 * part + whole) // (2 * whole) if whole else 0


def percent_text(part, whole):
    """'67.4%': the ratio rounded half up to one decimal; '0.0%' of nothing."""
    tenths = percent_tenths(part, whole)
    return f"{tenths // 10}.{tenths % 10}%"


def share(owners, total_owners, area, total_area):
    """{'owners': '126 / 187（67.4%）', 'area': '12,960.12 / 19,070.07 m²（68.0%）'}: a figure and its base."""
    area, total_area = hundredths(area), hundredths(total_area)
    return {"owners": f"{owners} / {total_owners}（{percent_text(owners, total_owners)}）",
            "area": f"{area_text(area)} / {area_text(total_area)} m²（{percent_text(area, total_area)}）"}


def part(owners, area, p_owners, p_area):
    """A choice's figures against the participants: {'owners': '80（63.5%）', 'area': '8,000.00 m²（61.7%）'}."""
    area, p_area = hundredths(area), hundredths(p_area)
    return {"owners": f"{owners}（{percent_text(owners, p_owners)}）",
            "area": f"{area_text(area)} m²（{percent_text(area, p_area)}）"}


def quorum_parts(r):
    """(owners ok, area ok): two thirds of the totals took part (Civil Code art. 1259: 'or more' includes it)."""
    return (r["participating_owners"] >= quorum_line(r["total_owners"]),
            hundredths(r["participating_area"]) >= quorum_line(hundredths(r["total_area"])))


def question_reason(r):
    """Why a question passed or failed, in one sentence."""
    owners_ok, area_ok = quorum_parts(r)
    if not owners_ok and not area_ok:
        return _("Not decided: fewer than two thirds of the owners and of the area took part.")
    if not owners_ok:
        return _("Not decided: fewer than two thirds of the owners took part (the area was enough).")
    if not area_ok:
        return _("Not decided: fewer than two thirds of the area took part (the owners were enough).")
    agree = part(r["agree_owners"], r["agree_area"], r["participating_owners"], r["participating_area"])
    need = _("at least three quarters") if r["rule"] == rules.SPECIAL else _("more than half")
    if r["passed"]:
        return _("Agreed: owners ${owners}, area ${area} of those who took part; ${need} of both was needed.",
                 mapping={"owners": agree["owners"], "area": agree["area"], "need": need})
    return _("Agreed: owners ${owners}, area ${area} of those who took part; ${need} of both is needed.",
             mapping={"owners": agree["owners"], "area": agree["area"], "need": need})


def headline(r):
    """(passed, title, [reason messages]) of one matter's result."""
    kind, done = r.get("kind", "question"), carried(r)
    if kind == ELECTION:
        title = _("✓ Elected") if done else _("✗ Nobody elected")
        return done, title, verdict(r)
    if kind == CHOICE:
        return done, (_("✓ Adopted") if done else _("✗ Not adopted")), verdict(r)
    return done, (_("✓ Passed") if done else _("✗ Not passed")), [question_reason(r)]


def matter_words(r):
    """Everything the results page says about one matter, worded."""
    passed, title, reasons = headline(r)
    words = {"passed": passed, "title": title, "reasons": reasons,
             "participation": share(r["participating_owners"], r["total_owners"], r["participating_area"],
                                    r["total_area"])}
    p_owners, p_area = r["participating_owners"], r["participating_area"]
    kind = r.get("kind", "question")
    if kind == ELECTION:
        words["candidates"] = [part(c["agree_owners"], c["agree_area"], p_owners, p_area) for c in r["candidates"]]
    elif kind == CHOICE:
        words["options"] = [part(o["owners"], o["area"], p_owners, p_area) for o in r["options"]]
        words["abstain"] = part(r["abstain_owners"], r["abstain_area"], p_owners, p_area)
    else:
        words["choices"] = {c: part(r[f"{c}_owners"], r[f"{c}_area"], p_owners, p_area)
                            for c in ("agree", "oppose", "abstain")}
    return words
