"""Voting: casting votes, receipts, progress, the tally and results."""
