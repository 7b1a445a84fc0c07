"""Results of every kind as JSON-ready dicts (areas as decimal strings in m²) and their verdicts in
plain words (no Pyramid).  The figures and the decisions come from the tally; this module only
words them, for the results page, the exports and the notices alike."""
from portal.i18n import _
from portal.register.rules import format_area
from portal.voting.tally import CHOICE, ELECTION

AREA_FIELDS = ("total_area", "participating_area", "agree_area", "oppose_area", "abstain_area", "void_area",
               "area")


def formatted(data):
    """``data`` with every area field as text, nested candidates and options included."""
    out = {}
    for name, value in data.items():
        if name in AREA_FIELDS and isinstance(value, int):
            out[name] = format_area(value)
        elif name in ("candidates", "options"):
            out[name] = [formatted(item) for item in value]
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def as_json(result):
    data = formatted(result.as_dict())
    data.setdefault("kind", "question")
    return data


def names(ids, people):
    return "、".join(people[i] for i in ids)


def carried(result):
    """Did the matter decide something: a question passed, a choice adopted an option, an election
    elected at least one member (a seat left unfilled is said in the words, not hidden)."""
    kind = result.get("kind", "question")
    if kind == ELECTION:
        return any(c["elected"] for c in result["candidates"])
    if kind == CHOICE:
        return result["adopted"] is not None
    return bool(result["passed"])


def verdict(result):
    """[translation strings]: the decision of one matter, in words (``result`` from ``as_json``)."""
    kind = result.get("kind", "question")
    if not result["quorum_met"]:
        if kind == ELECTION:
            return [_("Fewer than two thirds of the owners or of the area took part: nobody is elected; "
                      "${seats} seat(s) remain to be filled by a further election.", mapping={"seats": result["seats"]})]
        return [_("Not decided: fewer than two thirds of the owners or of the area took part.")]
    if kind == ELECTION:
        people = {c["id"]: c["name"] for c in result["candidates"]}
        elected = [c["id"] for c in result["candidates"] if c["elected"]]
        alternates = sorted((c for c in result["candidates"] if c["alternate"]), key=lambda c: c["rank"])
        words = [_("Elected: ${names}.", mapping={"names": names(elected, people)}) if elected
                 else _("Nobody is elected.")]
        if alternates:
            words.append(_("Alternates, in order: ${names}.", mapping={"names": names([c["id"] for c in alternates], people)}))
        if result["tied"]:
            words.append(_("${names} have the same support for the last seat: none of them is elected to it.",
                           mapping={"names": names(result["tied"], people)}))
        if result["tied_alternates"]:
            words.append(_("${names} have the same support for the last alternate place: none of them takes it.",
                           mapping={"names": names(result["tied_alternates"], people)}))
        if result["unfilled_seats"]:
            words.append(_("${count} seat(s) unfilled: a further election is needed.",
                           mapping={"count": result["unfilled_seats"]}))
        return words
    if kind == CHOICE:
        titles = {o["id"]: o["title"] for o in result["options"]}
        if result["adopted"]:
            return [_("Adopted: ${title}.", mapping={"title": titles[result["adopted"]]})]
        return [_("No option won the majority it needs: none is adopted.")]
    if result["passed"]:
        return [_("Passed.")]
    return [_("Not passed: not enough of the participating owners and area agreed.")]
