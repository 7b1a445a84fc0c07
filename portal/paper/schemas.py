"""The inputs of paper ballots and written proxies, one schema each for the page and the JSON API:
entering one (the unit, the marks as the shared vote schema on paper, the scan; a proxy's name),
its second entry, resolving a mismatch, reviewing one or a batch, a correction, the count record."""
import colander
import deform

from portal import schematypes, uploads as scans
from portal.i18n import _
from portal.paper import rules
from portal.register.schemas import MemoryTmpStore
from portal.voting.schemas import vote_schema

DECISIONS = ("approve", "reject")
ENTRIES = ("first", "second")


def paper_schema(ballot, units, translate, proxy=False):
    """``units``: [(unit key, title)] of the units that vote on the ballot.  The marks are
    ``vote_schema(..., paper=True)``: a paper election with more agrees than seats is taken, to be
    counted as void.  A written proxy adds the proxy's name (personal data: kept encrypted)."""
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(colander.SchemaNode(colander.String(), name="unit", title=_("Unit"),
                                   widget=deform.widget.SelectWidget(values=[("", "—")] + units),
                                   validator=colander.OneOf([u for u, _t in units])))
    if proxy:
        schema.add(colander.SchemaNode(colander.String(), name="proxy_name", title=_("Name of the proxy"),
                                       preparer=strip, validator=colander.Length(1, 50)))
    schema.add(marks_node(ballot, translate, _("Choices the authorisation directs") if proxy
                          else _("Choices on the paper ballot")))
    scan_title = _("Scan of the signed authorisation") if proxy else _("Scan of the signed paper ballot")
    schema.add(colander.SchemaNode(scans.FileData(), name="scan", title=scan_title,
                                   widget=deform.widget.FileUploadWidget(MemoryTmpStore(),
                                                                         accept=".pdf,.png,.jpg,.jpeg")))
    return schema


def strip(value):
    return value.strip() if isinstance(value, str) else value


def marks_node(ballot, translate, title):
    votes = vote_schema(ballot.matters, translate, paper=True)
    votes.name, votes.title = "votes", title
    return votes


def id_node():
    return colander.SchemaNode(colander.String(), name="id", title=_("Paper ballot"), widget=deform.widget.HiddenWidget(),
                               validator=colander.Length(max=20))


def second_schema(ballot, translate):
    """The second entry of a ballot's marks, made without seeing the first."""
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(id_node())
    schema.add(marks_node(ballot, translate, _("Choices on the paper ballot, as you read them on the scan")))
    return schema


def resolve_schema():
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(id_node())
    schema.add(colander.SchemaNode(colander.String(), name="which", title=_("The scan shows"),
                                   validator=colander.OneOf(ENTRIES), widget=deform.widget.RadioChoiceWidget(
                                       values=[("first", _("the first entry")), ("second", _("the second entry"))])))
    return schema


def batch_schema():
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(colander.SchemaNode(colander.List(), name="ids", title=_("Paper ballots to approve"),
                                   validator=colander.Length(1, 500, min_err=_("Tick at least one checked entry.")),
                                   children=[colander.SchemaNode(colander.String(), name="id",
                                                                 validator=colander.Length(max=20))]))
    return schema


def correct_schema():
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(id_node())
    schema.add(colander.SchemaNode(colander.Int(), name="objection", title=_("Upheld objection no."),
                                   validator=colander.Range(1, 100000)))
    schema.add(colander.SchemaNode(colander.String(), name="reason", title=_("What the correction is"),
                                   preparer=strip, validator=colander.Length(1, 500)))
    return schema


def count_schema():
    """The count record: ballots issued and returned, second entry, counters and supervisors by room."""
    schema = colander.SchemaNode(colander.Mapping())
    figure = colander.Range(0, rules.MAX_BALLOTS, min_err=_("Give a whole number of 0 or more."))
    schema.add(colander.SchemaNode(colander.Int(), name="issued", title=_("Paper ballots issued"), validator=figure))
    schema.add(colander.SchemaNode(colander.Int(), name="returned", title=_("Paper ballots returned"),
                                   validator=figure))
    schema.add(colander.SchemaNode(schematypes.Boolean(), name="second_entry", missing=False,
                                   title=_("Every paper ballot is entered a second time, blind, by another person")))
    rooms = _("Their rooms as the register writes them (e.g. 1栋1单元101), separated by 、 or commas.")
    schema.add(colander.SchemaNode(colander.String(), name="counters", title=_("Counters (owners, not candidates)"),
                                   description=rooms, preparer=strip, validator=colander.Length(1, 500)))
    schema.add(colander.SchemaNode(colander.String(), name="supervisors",
                                   title=_("Supervisors (owners, not candidates)"), description=rooms,
                                   preparer=strip, validator=colander.Length(1, 500)))
    return schema


def review_schema():
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(colander.SchemaNode(colander.String(), name="id", title=_("Paper ballot"),
                                   validator=colander.Length(max=20)))
    schema.add(colander.SchemaNode(colander.String(), name="decision", title=_("Decision"),
                                   validator=colander.OneOf(DECISIONS)))
    schema.add(colander.SchemaNode(colander.String(), name="reason", title=_("Reason for rejecting"),
                                   missing="", validator=colander.Length(max=500)))
    return schema
