"""Identity document validation vectors and masking."""
import datetime

import pytest

from portal.register.idnumbers import check_char, mask, problem

TODAY = datetime.date(2026, 11, 25)


def resident(first17):
    return first17 + check_char(first17)


VALID_RESIDENT = resident("44010619800101123")


@pytest.mark.parametrize("number", [
    VALID_RESIDENT, VALID_RESIDENT.lower(), resident("11010519491231002"), "11010519491231002X",
    resident("44010620261125001"),        # born today
])
def test_valid_resident_ids(number):
    assert problem("resident_id", number, TODAY) is None


@pytest.mark.parametrize("number, message", [
    (VALID_RESIDENT[:17] + ("0" if VALID_RESIDENT[17] != "0" else "1"), "check digit"),
    ("4401061980010112", "18 characters"),
    ("44010619800101123XX", "18 characters"),
    ("440106198001011A3X", "18 characters"),
    ("04010619800101123X", "18 characters"),     # region code cannot start with 0
    (resident("44010619800230123"), "birth date"),   # 30 February
    (resident("44010620261126001"), "birth date"),   # born tomorrow
    (resident("44010618700101123"), "birth date"),
    ("", "missing"),
])
def test_invalid_resident_ids(number, message):
    text = problem("resident_id", number, TODAY)
    assert text is not None and message in str(text)


def test_the_iso_7064_check_char_of_a_published_example():
    assert check_char("11010519491231002") == "X"


@pytest.mark.parametrize("id_type, number, ok", [
    ("overseas_passport", "E12345678", True),
    ("overseas_passport", "EA1234567", True),
    ("overseas_passport", "G12345678", True),
    ("overseas_passport", "EI1234567", False),     # I and O are not used
    ("overseas_passport", "E1234567", False),
    ("overseas_passport", "P12345678", False),
    ("hk_macao_permit", "H12345678", True),
    ("hk_macao_permit", "M1234567801", True),
    ("hk_macao_permit", "H123456789", False),
    ("hk_macao_permit", "C12345678", False),
    ("driving_licence", "H12345678", False),
])
def test_other_documents(id_type, number, ok):
    assert (problem(id_type, number, TODAY) is None) is ok


def test_masking():
    assert mask("resident_id", "440106198001011234") == "440106********1234"
    assert mask("overseas_passport", "E12345678") == "E*****678"
    assert mask("hk_macao_permit", "H12345678") == "H*****678"
    assert mask("resident_id", "") == ""
