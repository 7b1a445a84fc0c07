"""The inputs of the notification pages and their JSON (one schema each, shared by both)."""
import colander

from portal.i18n import _
from portal.notify.rules import CUSTOM_TEMPLATES


class ReminderSchema(colander.Schema):
    """Street staff's reminder: one of the approved templates, never free text."""

    template = colander.SchemaNode(colander.String(), title=_("Reminder"),
                                   validator=colander.OneOf(CUSTOM_TEMPLATES))


class ReminderSettingSchema(colander.Schema):
    reminders = colander.SchemaNode(colander.String(), title=_("Reminders"),
                                    validator=colander.OneOf(("on", "off")))
