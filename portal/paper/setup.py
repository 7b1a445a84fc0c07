"""Wiring paper ballots: they listen to the vote path for votes that replace a paper ballot, and
add the paper ballots not counted to the results page (voting imports nothing from paper)."""


def includeme(config):
    from portal.ballots.models import Ballot
    from portal.paper.count import add_to_results
    from portal.paper.service import flag_replaced
    from portal.voting.events import ResultsShown, VotesReplaced

    config.add_subscriber(flag_replaced, (VotesReplaced, Ballot))
    config.add_subscriber(add_to_results, (ResultsShown, Ballot))
