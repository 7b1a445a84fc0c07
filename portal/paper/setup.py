"""Wiring paper ballots: they listen to the vote path for votes that replace a paper ballot."""


def includeme(config):
    from portal.ballots.models import Ballot
    from portal.paper.service import flag_replaced
    from portal.voting.events import VotesReplaced

    config.add_subscriber(flag_replaced, (VotesReplaced, Ballot))
