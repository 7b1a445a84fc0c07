"""The inputs of paper ballots, one schema each for the page and the JSON API: entering one (the
unit, the marks as the shared vote schema on paper, the scan) and reviewing one."""
import colander
import deform

from portal import uploads as scans
from portal.i18n import _
from portal.register.schemas import MemoryTmpStore
from portal.voting.schemas import vote_schema

DECISIONS = ("approve", "reject")


def paper_schema(ballot, units, translate):
    """``units``: [(unit key, title)] of the units that vote on the ballot.  The marks are
    ``vote_schema(..., paper=True)``: a paper election with more agrees than seats is taken, to be
    counted as void."""
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(colander.SchemaNode(colander.String(), name="unit", title=_("Unit"),
                                   widget=deform.widget.SelectWidget(values=[("", "—")] + units),
                                   validator=colander.OneOf([u for u, _t in units])))
    votes = vote_schema(ballot.matters, translate, paper=True)
    votes.name, votes.title = "votes", _("Choices on the paper ballot")
    schema.add(votes)
    schema.add(colander.SchemaNode(scans.FileData(), name="scan", title=_("Scan of the signed paper ballot"),
                                   widget=deform.widget.FileUploadWidget(MemoryTmpStore(),
                                                                         accept=".pdf,.png,.jpg,.jpeg")))
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
