"""Chameleon page templates, installed as the package ``portal.templates``."""
