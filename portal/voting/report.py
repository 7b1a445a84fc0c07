"""The results as table rows, for the CSV and XLSX downloads (the PDF is portal.pdf's)."""
from portal.ballots import rules
from portal.i18n import _

HEADER = (_("Matter"), _("Category"), _("Rule"), _("Total owners"), _("Total area (m²)"),
          _("Participating owners"), _("Participating area (m²)"), _("Agree owners"), _("Agree area (m²)"),
          _("Oppose owners"), _("Oppose area (m²)"), _("Abstain owners"), _("Abstain area (m²)"),
          _("Quorum met"), _("Passed"))
YES, NO = _("yes"), _("no")
RULES = {rules.ORDINARY: _("ordinary majority"), rules.SPECIAL: _("special majority, three quarters")}


ELECTED, ALTERNATE, ADOPTED = _("elected"), _("alternate"), _("adopted")


def matter_lines(title, r, translate):
    """The rows of one matter's result: one for a question, one per candidate or option (with the
    agree columns holding those for the candidate or who chose the option)."""
    base = [r["category"], translate(RULES[r["rule"]]), r["total_owners"], r["total_area"],
            r["participating_owners"], r["participating_area"]]
    quorum = translate(YES if r["quorum_met"] else NO)
    kind = r.get("kind", "question")
    if kind == "election":
        return [[f"{title}：{c['name']}"] + base + [c["agree_owners"], c["agree_area"], c["oppose_owners"],
                                                    c["oppose_area"], c["abstain_owners"], c["abstain_area"], quorum,
                                                    translate(ELECTED if c["elected"] else (ALTERNATE if c["alternate"] else NO))]
                for c in r["candidates"]]
    if kind == "choice":
        return [[f"{title}：{o['title']}"] + base + [o["owners"], o["area"], "", "", r["abstain_owners"],
                                                    r["abstain_area"], quorum, translate(ADOPTED if o["adopted"] else NO)]
                for o in r["options"]]
    return [[title] + base + [r["agree_owners"], r["agree_area"], r["oppose_owners"], r["oppose_area"],
                              r["abstain_owners"], r["abstain_area"], quorum, translate(YES if r["passed"] else NO)]]


def rows(ballot, results, translate):
    titles = {m["id"]: m["title"] for m in ballot.matters}
    lines = []
    for label, results_list in ((None, results["matters"]), (_("non-voters follow the majority"),
                                                                results["follow_majority"] or [])):
        for r in results_list:
            title = titles[r["id"]] + (f" ({translate(label)})" if label else "")
            lines += matter_lines(title, r, translate)
    return [translate(h) for h in HEADER], lines
