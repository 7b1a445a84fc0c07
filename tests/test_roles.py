"""Who may grant which role where: the plain rules."""
import pytest

from portal.security.roles import ADMIN, DISTRICT, ORGANIZER, OWNER, STREET, can_grant, roles_grantable_on


@pytest.mark.parametrize("granter, role, node, allowed", [
    ({ADMIN}, ADMIN, "Portal", True),
    ({ADMIN}, DISTRICT, "District", True),
    ({ADMIN}, STREET, "Street", True),
    ({ADMIN}, ORGANIZER, "Community", True),
    ({DISTRICT}, DISTRICT, "District", False),   # not even their own level
    ({DISTRICT}, STREET, "Street", True),
    ({DISTRICT}, ORGANIZER, "Community", True),
    ({DISTRICT}, ADMIN, "Portal", False),
    ({STREET}, DISTRICT, "District", False),     # a street cannot make itself district staff
    ({STREET}, STREET, "Street", False),
    ({STREET}, ORGANIZER, "Community", True),
    ({ORGANIZER}, ORGANIZER, "Community", False),
    ({OWNER}, ORGANIZER, "Community", False),
    (set(), ORGANIZER, "Community", False),
    ({ADMIN}, DISTRICT, "Street", False),        # a role belongs to one kind of node
    ({ADMIN}, ORGANIZER, "District", False),
    ({ADMIN}, OWNER, "Community", False),        # owners come from binding only
])
def test_can_grant(granter, role, node, allowed):
    assert can_grant(granter, role, node) is allowed


def test_roles_grantable_on_each_kind_of_node():
    assert roles_grantable_on("Portal") == [ADMIN]
    assert roles_grantable_on("District") == [DISTRICT]
    assert roles_grantable_on("Street") == [STREET]
    assert roles_grantable_on("Community") == [ORGANIZER]
