"""Local roles inherit downwards; the ACL built from a permission map denies the rest."""
from types import SimpleNamespace

import pytest
from pyramid.authorization import Authenticated, Everyone

from portal.content.models import Community, District, Portal, Street
from portal.security import localroles
from portal.security.acl import acl_from_map
from portal.security.policy import PortalSecurityPolicy, bearer_token


@pytest.fixture
def tree():
    city = Portal("广州市")
    tianhe = city.add("tianhe", District("天河区"))
    shipai = tianhe.add("shipai", Street("石牌街道"))
    mingyuan = shipai.add("mingyuan", Community("明苑小区"))
    linhe = tianhe.add("linhe", Street("林和街道"))
    haizhu = city.add("haizhu", District("海珠区"))
    return SimpleNamespace(city=city, tianhe=tianhe, shipai=shipai, mingyuan=mingyuan, linhe=linhe,
                           haizhu=haizhu)


def test_a_role_holds_below_its_node_and_nowhere_else(tree):
    localroles.grant(tree.tianhe, "u1", "district")
    assert localroles.effective_roles(tree.mingyuan, "u1") == {"district"}
    assert localroles.effective_roles(tree.linhe, "u1") == {"district"}
    assert localroles.effective_roles(tree.tianhe, "u1") == {"district"}
    assert localroles.effective_roles(tree.city, "u1") == set()
    assert localroles.effective_roles(tree.haizhu, "u1") == set()
    assert localroles.effective_roles(tree.mingyuan, "u2") == set()


def test_roles_from_several_levels_add_up(tree):
    localroles.grant(tree.shipai, "u1", "street")
    localroles.grant(tree.mingyuan, "u1", "organizer")
    assert localroles.effective_roles(tree.mingyuan, "u1") == {"street", "organizer"}
    assert localroles.effective_roles(tree.shipai, "u1") == {"street"}


def test_grant_and_revoke_report_whether_anything_changed(tree):
    assert localroles.grant(tree.shipai, "u1", "street") is True
    assert localroles.grant(tree.shipai, "u1", "street") is False
    assert localroles.revoke(tree.shipai, "u1", "street") is True
    assert localroles.revoke(tree.shipai, "u1", "street") is False
    assert "u1" not in tree.shipai.local_roles


def test_acl_allows_listed_roles_then_denies_everything():
    acl = acl_from_map({"view": ("anyone",), "edit": ("street", "authenticated")})
    assert ("Allow", Everyone, "view") in acl
    assert ("Allow", "role:street", "edit") in acl
    assert ("Allow", Authenticated, "edit") in acl
    assert acl[-1][0] == "Deny"


class FakeAccount:
    def __init__(self, uid):
        self.uid = uid
        self.token_version = 1


def request_for(account):
    return SimpleNamespace(identity=account)


@pytest.mark.parametrize("where, permission, expected", [
    ("shipai", "add", True),
    ("mingyuan", "edit", True),
    ("mingyuan", "manage_sharing", True),
    ("linhe", "add", False),       # a sibling street
    ("tianhe", "add", False),      # above the role's node
    ("tianhe", "manage_sharing", False),
    ("city", "manage_accounts", False),
    ("haizhu", "view", True),      # the tree itself is public
])
def test_policy_permits_street_staff_only_in_their_street(tree, where, permission, expected):
    localroles.grant(tree.shipai, "s1", "street")
    policy = PortalSecurityPolicy(tokens=None)
    assert bool(policy.permits(request_for(FakeAccount("s1")), getattr(tree, where), permission)) is expected


def test_anonymous_may_only_view(tree):
    policy = PortalSecurityPolicy(tokens=None)
    anonymous = request_for(None)
    assert policy.permits(anonymous, tree.mingyuan, "view")
    for permission in ("edit", "add", "manage_sharing", "view_audit"):
        assert not policy.permits(anonymous, tree.shipai, permission)


def test_bearer_token_is_read_from_the_authorization_header():
    assert bearer_token(SimpleNamespace(headers={"Authorization": "Bearer abc"})) == "abc"
    assert bearer_token(SimpleNamespace(headers={"Authorization": "Basic abc"})) is None
    assert bearer_token(SimpleNamespace(headers={})) is None
