"""Desks for staff: what waits for them, across all their communities (issue 20)."""
