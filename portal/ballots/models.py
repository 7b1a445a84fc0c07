"""Ballots and their container.

A ``Ballot`` follows the workflow ``ballot`` kept in the portal's workflow registry: its ACL is
computed from the definition at request time (``permission_roles``), so an administrator's edit
applies at once.  Matters are plain dicts; the electorate is a frozen snapshot taken when the
notice is published.
"""
from persistent import Persistent
from pyramid.traversal import find_root

from portal.ballots import rules
from portal.content.folder import NumberedFolder
from portal.i18n import _
from portal.security.acl import ACLMixin
from portal.security.roles import ANYONE, ORGANIZER
from portal.workflow.definition import permission_roles
from portal.workflow.engine import Workflowed


class Ballots(NumberedFolder):
    """``<community>/ballots``: drafts are added here by the community's organizer."""

    type_name = "Ballots"
    title = _("Ballots")
    prefix = "b"
    permissions = {"view": (ANYONE,), "add_ballot": (ORGANIZER,)}


class FrozenUnits(Persistent):
    """The units of a frozen electorate (register.rules.UnitFacts), stored apart from it."""

    def __init__(self, units):
        self.units = tuple(units)


class Electorate(Persistent):
    """Who and what counts, frozen when the notice is published (never changed after).

    Its units are an object of their own (``frozen``): what counts them (the box, the tally, the
    messages' owner groups) loads them; what needs only the totals (a notice page, the tick
    queueing a phase's messages for a thousand-unit community) loads a few numbers."""

    frozen = None               # FrozenUnits; an electorate stored before evolve 0045 holds ``units``

    def __init__(self, units, include_parking, frozen_at):
        from portal.register.rules import totals

        self.units = units
        self.include_parking = include_parking
        self.frozen_at = frozen_at
        self.totals = totals(self.units, include_parking)

    @property
    def units(self):
        frozen = self.frozen            # loads the electorate (``__dict__`` alone would not)
        return frozen.units if frozen is not None else self.__dict__["units"]

    @units.setter
    def units(self, units):
        self.__dict__.pop("units", None)
        self.frozen = FrozenUnits(units)


class Ballot(Workflowed, ACLMixin, Persistent):
    type_name = "Ballot"
    __name__ = None
    __parent__ = None
    description = ""
    scope = ()                     # () is the whole community, else building names
    allow_vote_change = False
    allow_paper = True
    allow_proxies = True           # written proxies (委托投票) may be entered
    electronic_prevails = True     # a unit that voted both ways: the electronic vote counts
    election_ranking = "owners_first"   # qualified candidates ranked by agreeing owners, then area
    follow_majority = False
    follow_majority_basis = ""
    rules_document = ""        # id of the filed rules of procedure in <community>/documents
    notice_days = rules.DEFAULT_NOTICE_DAYS
    objection_days = rules.DEFAULT_OBJECTION_DAYS
    published = None
    electorate = None
    extension = None
    notices = ()
    attachments = ()           # uploaded files: {"filename", "content_type", "size", "blob", "uploaded"}
    candidate_checks = {}      # "m2:c1" -> the street office's eligibility check (ballots.candidates)
    candidate_files = {}       # "m2:c1" -> the candidate's photo or résumé (ballots.candidate_files)
    objections = None          # objections.models.Objections, from the first objection on
    box = None                 # voting.box.BallotBox, made when the electorate is frozen
    paper = None               # paper ballots by id (portal.paper), from the first one on
    paper_count = None         # the paper count record (portal.paper.count), once it is begun
    releases = None            # room-number lists released to the organizer: kind -> record
    sales = ()                 # units sold while the electorate was frozen: {"unit", "outcome", "reason", "when"}

    def __init__(self, **values):
        self.matters = ()
        self.update(**values)

    def update(self, **values):
        matters = values.pop("matters", None)
        for name, value in values.items():
            setattr(self, name, value)
        if matters is not None:
            self.matters = tuple(dict(m, id=f"m{i}") for i, m in enumerate(matters, start=1))

    @property
    def community(self):
        return self.__parent__.__parent__

    def definition(self):
        return find_root(self).workflows[self.workflow_id]

    def phase(self):
        return self.definition()["states"][self.state]["phase"]

    def window(self):
        return rules.window(self.start_date, self.end_date)

    def permission_roles(self):
        return permission_roles(self.definition(), self.state)
