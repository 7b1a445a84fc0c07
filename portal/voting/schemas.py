"""The input of a vote: one choice per matter of the ballot (the page and the API share it)."""
import colander
import deform

from portal.ballots.rules import RULE_WORDS, rule_of
from portal.i18n import _
from portal.voting.tally import CHOICES

CHOICE_WORDS = {"agree": _("✓ Agree"), "oppose": _("✗ Oppose"), "abstain": _("○ Abstain")}


def vote_schema(matters, translate=lambda s: s):
    """A mapping of matter id -> agree | oppose | abstain, every matter required."""
    schema = colander.SchemaNode(colander.Mapping(unknown="raise"))
    for number, matter in enumerate(matters, start=1):
        rule = translate(RULE_WORDS[rule_of(matter["category"])])
        schema.add(colander.SchemaNode(
            colander.String(), name=matter["id"], title=f"{number}. {matter['title']}",
            description=f"{matter['text']}\n{rule}",
            validator=colander.OneOf(CHOICES),
            widget=deform.widget.RadioChoiceWidget(
                values=[(c, translate(CHOICE_WORDS[c])) for c in CHOICES], inline=False),
            missing_msg=_("Choose agree, oppose or abstain.")))
    return schema


def ballot_vote_schema(ballot, localizer):
    """``vote_schema`` for the ballot's matters in the localizer's language, built once per language
    while the ballot stays in the connection's cache (matters never change once voting opens; an
    edit of a draft reloads the ballot, which drops the copy).  Callers must not change it."""
    schemas = getattr(ballot, "_v_vote_schemas", None)
    if schemas is None or schemas[0] is not ballot.matters:
        schemas = ballot._v_vote_schemas = (ballot.matters, {})
    schema = schemas[1].get(localizer.locale_name)
    if schema is None:
        schema = schemas[1][localizer.locale_name] = vote_schema(ballot.matters, localizer.translate)
    return schema
