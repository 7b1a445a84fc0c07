"""The JSON API: same URLs as the pages, chosen by ``Accept`` (see DESIGN.md)."""
