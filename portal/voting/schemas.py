"""The input of a vote: one mark per matter of the ballot, of whatever kind (the page, the JSON API
and paper entry share it; OpenAPI describes it).

A question is marked agree, oppose or abstain; an election {candidate id: agree | oppose |
abstain} (unmarked candidates abstain) with at most ``seats`` agrees; a choice one option id or
abstain.  On paper (``paper=True``) an election with more agrees than seats is kept, to be
recorded as void (``voting.marks``)."""
import colander
import deform

from portal.ballots.rules import matter_words
from portal.i18n import _
from portal.voting import marks
from portal.voting.tally import ABSTAIN, CHOICE, CHOICES, ELECTION, kind_of

CHOICE_WORDS = {"agree": _("✓ Agree"), "oppose": _("✗ Oppose"), "abstain": _("○ Abstain")}
CANDIDATE_WORDS = {"agree": _("✓ For"), "oppose": _("✗ Against"), "abstain": _("○ Abstain")}


def election_validator(matter, paper):
    def check(node, value):
        unknown = sorted(set(value) - {c["id"] for c in matter["candidates"]})
        if unknown:
            raise colander.Invalid(node, _("There is no candidate ${id} in this election.", mapping={"id": unknown[0]}))
        if not paper and marks.too_many_agrees(matter, value):
            raise colander.Invalid(node, _("You may agree to at most ${seats} candidates; you agreed to ${count}.",
                                           mapping={"seats": matter["seats"],
                                                    "count": sum(1 for v in value.values() if v == "agree")}))
    return check


def matter_node(number, matter, translate, paper):
    title, description = f"{number}. {matter['title']}", f"{matter['text']}\n{translate(matter_words(matter))}"
    kind = kind_of(matter)
    if kind == ELECTION:
        node = colander.SchemaNode(
            colander.Mapping(unknown="preserve"), name=matter["id"], title=title, description=description,
            validator=election_validator(matter, paper), missing={},
            widget=deform.widget.MappingWidget(template="election", seats=matter["seats"]))
        for candidate in matter["candidates"]:
            node.add(colander.SchemaNode(
                colander.String(), name=candidate["id"], title=candidate["name"], missing=ABSTAIN,
                description=candidate.get("statement", ""), validator=colander.OneOf(CHOICES),
                widget=deform.widget.RadioChoiceWidget(
                    values=[(c, translate(CANDIDATE_WORDS[c])) for c in CHOICES], inline=True)))
        return node
    if kind == CHOICE:
        options = [(o["id"], o["title"]) for o in matter["options"]] + [(ABSTAIN, translate(CHOICE_WORDS[ABSTAIN]))]
        return colander.SchemaNode(
            colander.String(), name=matter["id"], title=title, description=description,
            validator=colander.OneOf([value for value, _title in options]),
            widget=deform.widget.RadioChoiceWidget(values=options, inline=False),
            missing_msg=_("Choose one of the options, or abstain."))
    return colander.SchemaNode(
        colander.String(), name=matter["id"], title=title, description=description,
        validator=colander.OneOf(CHOICES),
        widget=deform.widget.RadioChoiceWidget(values=[(c, translate(CHOICE_WORDS[c])) for c in CHOICES], inline=False),
        missing_msg=_("Choose agree, oppose or abstain."))


def vote_schema(matters, translate=lambda s: s, paper=False):
    """A mapping of matter id -> its mark, every question and choice required."""
    schema = colander.SchemaNode(colander.Mapping(unknown="raise"))
    for number, matter in enumerate(matters, start=1):
        schema.add(matter_node(number, matter, translate, paper))
    return schema


def mark_words(matter, mark):
    """[(label, words)] of a recorded mark, for the confirmation page and the receipt check."""
    kind = kind_of(matter)
    if kind == ELECTION:
        if not isinstance(mark, dict):
            return [("", _("Void (more agrees than seats)"))]
        return [(c["name"], CANDIDATE_WORDS[mark.get(c["id"], ABSTAIN)]) for c in matter["candidates"]]
    if kind == CHOICE:
        titles = {o["id"]: o["title"] for o in matter["options"]}
        return [("", titles.get(mark) or CHOICE_WORDS[ABSTAIN])]
    return [("", CHOICE_WORDS.get(mark, ""))]


def ballot_vote_schema(ballot, localizer=None):
    """``vote_schema`` for the ballot's matters in the localizer's language, built once per language
    while the ballot stays in the connection's cache (matters never change once voting opens; an
    edit of a draft reloads the ballot, which drops the copy).  Callers must not change it.

    Without a localizer (the JSON API) the words of the form's widgets stay untranslated: they are
    never shown there, and what the schema accepts and its error messages (translated when they
    are answered) are the same in every language."""
    schemas = getattr(ballot, "_v_vote_schemas", None)
    if schemas is None or schemas[0] is not ballot.matters:
        schemas = ballot._v_vote_schemas = (ballot.matters, {})
    language = localizer.locale_name if localizer is not None else None
    schema = schemas[1].get(language)
    if schema is None:
        schema = schemas[1][language] = (vote_schema(ballot.matters, localizer.translate) if localizer is not None
                                         else vote_schema(ballot.matters))
    return schema
