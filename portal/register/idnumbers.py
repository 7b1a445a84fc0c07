"""The accepted identity documents, their formats, and masking (plain rules).

- resident identity card (居民身份证): 18 characters: a 6-digit region code, the birth date as
  YYYYMMDD, a 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X);
- overseas-Chinese ordinary passport (华侨普通护照): E + 8 digits, E + a letter (not I or O) +
  7 digits, or the older G + 8 digits;
- Hong Kong / Macao residents' mainland travel permit (港澳居民来往内地通行证): H (Hong Kong) or
  M (Macao) + 8 digits, optionally + 2 digits of the card's issue count.
"""
import datetime
import re

from portal.i18n import _

RESIDENT_ID = "resident_id"
OVERSEAS_PASSPORT = "overseas_passport"
HK_MACAO_PERMIT = "hk_macao_permit"

ID_TYPES = (RESIDENT_ID, OVERSEAS_PASSPORT, HK_MACAO_PERMIT)
TITLES = {
    RESIDENT_ID: _("Resident identity card"),
    OVERSEAS_PASSPORT: _("Overseas Chinese ordinary passport"),
    HK_MACAO_PERMIT: _("Mainland travel permit for Hong Kong and Macao residents"),
}
CHINESE_NAMES = {RESIDENT_ID: "居民身份证", OVERSEAS_PASSPORT: "华侨普通护照",
                 HK_MACAO_PERMIT: "港澳居民来往内地通行证"}

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
RESIDENT_RE = re.compile(r"^[1-9]\d{5}(\d{8})\d{3}[\dX]$")
PASSPORT_RE = re.compile(r"^(E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8})$")
PERMIT_RE = re.compile(r"^[HM]\d{8}(\d{2})?$")


def normalize(number):
    return (number or "").strip().upper().replace(" ", "")


def check_char(first17):
    """The MOD 11-2 check character for the first 17 digits of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def birth_date(number):
    """The birth date inside a well-formed resident ID number, or None if impossible."""
    match = RESIDENT_RE.match(number)
    if not match:
        return None
    try:
        return datetime.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def problem(id_type, number, today=None, check_digit=True):
    """None if ``number`` is a valid number of ``id_type``, else the message saying why.

    ``check_digit=False`` accepts a well-formed resident ID number whose check character does not
    match: the number on a real title deed may carry a clerk's typing error, which the register
    keeps as a gap to fill (its owner's ``id_valid`` is false) rather than refusing the file."""
    number = normalize(number)
    if id_type not in ID_TYPES:
        return _("Unknown ID type.")
    if not number:
        return _("The ID number is missing.")
    if id_type == RESIDENT_ID:
        if not RESIDENT_RE.match(number):
            return _("A resident ID number has 18 characters: 17 digits and a digit or X.")
        born = birth_date(number)
        today = today or datetime.date.today()
        if born is None or born > today or born.year < 1880:
            return _("The birth date inside the ID number is impossible.")
        if check_digit and check_char(number[:17]) != number[17]:
            return _("The check digit of the ID number is wrong.")
        return None
    if id_type == OVERSEAS_PASSPORT:
        if not PASSPORT_RE.match(number):
            return _("A passport number is E and 8 digits, E, a letter and 7 digits, or G and 8 digits.")
        return None
    if not PERMIT_RE.match(number):
        return _("A travel permit number is H or M and 8 digits (and 2 more on a card).")
    return None


def mask(id_type, number):
    """What pages show: e.g. 440106********1234 for a resident ID number."""
    number = normalize(number)
    if not number:
        return ""
    if id_type == RESIDENT_ID and len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    keep = 3 if len(number) > 6 else 1
    return number[0] + "*" * (len(number) - 1 - keep) + number[-keep:]
