"""Booleans are booleans, integers integers, dates in range, indexes in range (issue 15.6 and the
range checks): the shared schema types tested directly with their boundaries, then on the app."""
import colander
import pytest

from portal import schematypes
from portal.request import index_in

COMMUNITY = "/tianhe/shipai/mingyuan"


def node(typ):
    return colander.SchemaNode(typ, name="x")


@pytest.mark.parametrize("value, expected", [(True, True), (False, False), ("true", True), ("false", False)])
def test_a_boolean_takes_true_and_false(value, expected):
    assert node(schematypes.Boolean()).deserialize(value) is expected


@pytest.mark.parametrize("value", ["no", "off", "", [], {}, 0, 1, "0", "1", "True", "yes", None, "false "])
def test_a_boolean_refuses_everything_else(value):
    with pytest.raises(colander.Invalid):
        node(schematypes.Boolean()).deserialize(value)


def test_a_missing_boolean_takes_its_default():
    schema = colander.SchemaNode(colander.Mapping(), colander.SchemaNode(schematypes.Boolean(), name="b",
                                                                          missing=False))
    assert schema.deserialize({}) == {"b": False}


@pytest.mark.parametrize("value, expected", [(3, 3), ("3", 3), (" 7 ", 7), ("-1", -1), (0, 0)])
def test_an_integer_takes_whole_numbers(value, expected):
    assert node(schematypes.Integer()).deserialize(value) == expected


@pytest.mark.parametrize("value", [True, False, 1.0, 1.5, "1.5", "1e3", "x", [1], {}, "9" * 16])
def test_an_integer_refuses_bools_floats_and_text(value):
    with pytest.raises(colander.Invalid):
        node(schematypes.Integer()).deserialize(value)


@pytest.mark.parametrize("value", ["1900-01-01", "2199-12-31", "2026-12-01"])
def test_a_date_in_range(value):
    assert node(schematypes.Date()).deserialize(value).isoformat() == value


@pytest.mark.parametrize("value", ["1899-12-31", "2200-01-01", "9999-12-31", "0001-01-01", 20260101, ["2026-01-01"]])
def test_a_date_out_of_range_or_not_text(value):
    with pytest.raises(colander.Invalid):
        node(schematypes.Date()).deserialize(value)


@pytest.mark.parametrize("value, length, expected", [
    (0, 1, 0), ("0", 1, 0), (2, 3, 2), ("2", 3, 2), (3, 3, None), (-1, 3, None), ("-1", 3, None),
    (True, 3, None), (1.0, 3, None), ("1e400", 3, None), ("", 3, None), (None, 3, None), ([0], 3, None),
    ("9" * 30, 3, None), (0, 0, None)])
def test_index_in_range_only(value, length, expected):
    assert index_in(value, length) == expected


@pytest.mark.parametrize("consent", ["no", "off", "", [], 0, "false "])
def test_a_consent_that_is_not_true_or_false_is_refused(api, db, consent):
    client, headers = api("owner1")
    before = db.lastTransaction()
    res = client.post_json(COMMUNITY + "/@bind", {"name": "张三", "id_type": "resident", "id_number": "x",
                                                  "method": "face", "biometric_consent": consent},
                           headers=headers, status=400)
    assert res.json["errors"]["biometric_consent"] == "请填写 true 或 false。"
    assert db.lastTransaction() == before


@pytest.mark.parametrize("flag", ["off", "no", "", [], 1])
def test_a_community_setting_takes_json_booleans_only(api, portal_in, flag):
    client, headers = api("street")
    client.patch_json(COMMUNITY, {"parking_counts": flag}, headers=headers, status=400)
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"].parking_counts is False
    client.patch_json(COMMUNITY, {"parking_counts": True}, headers=headers)
    with portal_in() as portal:
        assert portal["tianhe"]["shipai"]["mingyuan"].parking_counts is True


def test_remove_owner_with_minus_one_removes_nobody(as_role, portal_in):
    district = as_role("district")
    with portal_in() as portal:
        unit = next(u for u in portal["tianhe"]["shipai"]["mingyuan"]["register"].values() if u.owners)
        name, owners = unit.__name__, len(unit.owners)
    page = district.get(f"{COMMUNITY}/register/{name}/")
    form = [f for f in page.forms.values() if f.action.endswith("@remove-owner")][0]
    for bad in ("-1", "1e400", str(owners), "x"):
        form["i"].force_value(bad)
        form.submit()
    with portal_in() as portal:
        assert len(portal["tianhe"]["shipai"]["mingyuan"]["register"][name].owners) == owners
