"""Configurable workflows: definitions, validation, the engine, the registry in ZODB."""
