"""Room-number lists released to organizers through street staff (DOMAIN.md)."""
