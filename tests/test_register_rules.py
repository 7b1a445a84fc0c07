"""Counting owners and area, and the gaps, at their edges."""
import pytest

from portal.register.rules import (OwnerFacts, UnitFacts, format_area, gaps, owner_groups, parse_area,
                                   totals)

A, B, C = OwnerFacts("a", "na"), OwnerFacts("b", "nb"), OwnerFacts("c", "nc")


def unit(key, area=10000, kind="dwelling", owners=(), unsold=False):
    return UnitFacts(key=key, kind=kind, area=area, developer_unsold=unsold, owners=tuple(owners))


def test_each_unit_is_one_owner():
    assert totals([unit("1", owners=[A]), unit("2", owners=[B]), unit("3", owners=[C])]) == (3, 3, 30000)


def test_all_units_of_one_buyer_are_one_owner_and_their_areas_add():
    units = [unit("1", 8850, owners=[A]), unit("2", 9000, owners=[A]), unit("3", 7000, owners=[A]),
             unit("4", 5000, owners=[B])]
    assert totals(units) == (4, 2, 29850)
    groups = owner_groups(units)
    assert sorted(groups[("buyer", frozenset({"a"}))]) == ["1", "2", "3"]


def test_a_co_owned_unit_is_one_owner():
    assert totals([unit("1", owners=[A, B])]) == (1, 1, 10000)


def test_a_co_owned_unit_and_a_unit_of_one_co_owner_are_two_owners():
    assert totals([unit("1", owners=[A, B]), unit("2", owners=[A])]).owners == 2


def test_the_same_co_owners_on_two_units_are_one_owner_in_any_order():
    assert totals([unit("1", owners=[A, B]), unit("2", owners=[B, A])]).owners == 1


def test_all_developer_unsold_units_together_are_one_owner():
    units = [unit(str(i), unsold=True) for i in range(5)] + [unit("x", owners=[A])]
    assert totals(units) == (6, 2, 60000)


def test_parking_does_not_count_by_default_and_counts_when_the_rules_say_so():
    units = [unit("1", owners=[A]), unit("p1", 1250, "parking", [B]), unit("s1", 800, "stall", [C])]
    assert totals(units) == (1, 1, 10000)
    assert totals(units, include_parking=True) == (3, 3, 12050)


def test_a_parking_space_of_a_dwelling_owner_adds_area_not_an_owner():
    units = [unit("1", owners=[A]), unit("p1", 1250, "parking", [A])]
    assert totals(units, include_parking=True) == (2, 1, 11250)


def test_a_unit_with_nobody_registered_still_counts_as_one_owner():
    assert totals([unit("1"), unit("2")]).owners == 2


def test_an_empty_register():
    assert totals([]) == (0, 0, 0)


def test_gaps():
    conflicting = OwnerFacts("a", "other-name")
    units = [
        unit("ok", owners=[A]),
        unit("empty"),
        unit("unsold", unsold=True),
        unit("noarea", area=0, owners=[B]),
        unit("badid", owners=[OwnerFacts("", "nx", id_valid=False)]),
        unit("twice", owners=[C, C]),
        unit("conflict", owners=[conflicting]),
    ]
    found = gaps(units)
    assert found["no_owner"] == ["empty"]
    assert found["no_area"] == ["noarea"]
    assert found["bad_id"] == ["badid"]
    assert found["duplicate_owner"] == ["twice"]
    assert found["id_conflict"] == ["conflict", "ok"]


@pytest.mark.parametrize("text, value", [
    ("88.5", 8850), ("88.50", 8850), ("88", 8800), ("0.01", 1), ("10000.99", 1000099), (" 7.05 ", 705),
    ("0", None), ("0.00", None), ("-5", None), ("88.505", None), ("8,8", None), ("abc", None), ("", None),
    ("88.", None), (".5", None), ("1e3", None),
])
def test_parse_area(text, value):
    assert parse_area(text) == value


def test_format_area():
    assert format_area(8850) == "88.50"
    assert format_area(1) == "0.01"
    assert format_area(123456) == "1234.56"


def test_units_are_listed_in_natural_address_order():
    from portal.register.models import Register, Unit

    register = Register()
    for room in ("1201", "201", "P002", "101", "P010"):
        register.add(Unit("1", "1", room, area=100))
    register.add(Unit("10", "1", "101", area=100))
    register.add(Unit("2", "1", "101", area=100))
    titles = [u.title for u in register.values()]
    assert titles == ["1栋1单元101", "1栋1单元201", "1栋1单元1201", "1栋1单元P002", "1栋1单元P010",
                      "2栋1单元101", "10栋1单元101"]
    page, following = register.in_order(limit=3)
    assert [u.title for u in page] == titles[:3]
    rest, end = register.in_order(start=following, limit=10)
    assert [u.title for u in rest] == titles[3:] and end is None
