"""Ballots: matters, the voting window, the frozen electorate, notices."""
