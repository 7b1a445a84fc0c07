"""The vote record owners can read and recompute (DOMAIN.md "The vote record")."""
