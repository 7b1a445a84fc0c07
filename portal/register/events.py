"""What the register tells the concerns that froze it (a ballot's electorate), by events.

``SaleChecked(unit)`` asks, before a unit changes hands, which ballots would be affected: a
subscriber appends a description of each to ``live`` (the owner form then asks for a reason).
``UnitSold(unit, reason, when)`` tells, after the register records the new owner, that the unit
changed hands: a subscriber applies the rule of its ballots and appends (ballot, outcome) to
``outcomes`` for the view to audit.
"""


class SaleChecked:
    def __init__(self, unit):
        self.object = unit
        self.live = []


class UnitSold:
    def __init__(self, unit, reason, when):
        self.object = unit
        self.reason = reason
        self.when = when
        self.outcomes = []
