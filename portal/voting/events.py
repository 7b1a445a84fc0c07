"""What the vote path tells other concerns (sent with ``portal.events.notify``)."""


class VotesReplaced:
    """A vote on ``channel`` took the place of earlier votes of some owner groups of ``object``
    (a ballot); ``replaced`` is {owner key: the replaced record, as the box stores it}.

    The paper ballots listen, to flag a paper ballot that no longer counts: voting imports
    nothing from paper."""

    def __init__(self, ballot, channel, replaced):
        self.object = ballot
        self.channel = channel
        self.replaced = replaced


class ResultsShown:
    """The results page of ``object`` (a ballot) is about to render ``values``; a concern with more
    to show (the paper ballots that were not counted) adds it there."""

    def __init__(self, ballot, values):
        self.object = ballot
        self.values = values
