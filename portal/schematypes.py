"""Colander types shared by every input schema, forms and JSON API alike, strict where colander's
own are lenient: a boolean is a boolean, an integer an integer, a date a date the portal can
reckon with.

colander's ``Boolean`` reads any text but "false" and "0" as true (so "no", "off", "" and [] meant
yes: a false consent record), its ``Int`` takes ``true`` for 1, and its ``Date`` takes the year
9999, which overflows the first sum.  A form posts text ("true"/"false" from deform's checkbox
and hidden widgets, digits from a select); JSON sends booleans and numbers.
"""
import datetime

import colander

from portal.i18n import _

NOT_BOOLEAN = _("Give true or false.")
NOT_INTEGER = _("Give a whole number.")
DATE_RANGE = _("Give a date between ${first} and ${last}.")
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2199, 12, 31)


class Boolean(colander.Boolean):
    """true or false only: JSON booleans, or the words "true"/"false" a form's widgets post."""

    FORM_WORDS = {"true": True, "false": False}

    def deserialize(self, node, cstruct):
        if cstruct is colander.null:
            return colander.null
        if isinstance(cstruct, bool):
            return cstruct
        if isinstance(cstruct, str) and cstruct in self.FORM_WORDS:
            return self.FORM_WORDS[cstruct]
        raise colander.Invalid(node, NOT_BOOLEAN)


class Integer(colander.Integer):
    """A whole number: a JSON integer, or decimal digits from a form (never a bool or a float)."""

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, ""):
            return colander.null
        if isinstance(cstruct, str):
            text = cstruct.strip()
            if text.lstrip("-").isdecimal() and len(text) <= 15:
                return int(text)
        elif isinstance(cstruct, int) and not isinstance(cstruct, bool):
            return cstruct
        raise colander.Invalid(node, NOT_INTEGER)


class Date(colander.Date):
    """An ISO date from 1900 to 2199 (text only: a number or a list is not a date)."""

    def deserialize(self, node, cstruct):
        if cstruct is not colander.null and not isinstance(cstruct, str):
            raise colander.Invalid(node, _("Give the date as YYYY-MM-DD."))
        value = super().deserialize(node, cstruct)
        if value is not colander.null and not FIRST_DATE <= value <= LAST_DATE:
            raise colander.Invalid(node, _(DATE_RANGE, mapping={"first": FIRST_DATE.isoformat(),
                                                                "last": LAST_DATE.isoformat()}))
        return value
