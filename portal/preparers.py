"""Colander preparers shared by every input schema."""


def strip(value):
    """Surrounding white space never counts (a title of spaces is an empty title)."""
    return value.strip() if isinstance(value, str) else value
