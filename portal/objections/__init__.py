"""Objections to preliminary results (DOMAIN.md "Objections")."""
