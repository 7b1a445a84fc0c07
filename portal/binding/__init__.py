"""Binding owners' accounts to the register by a verified identity."""
