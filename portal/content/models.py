"""The persistent classes of the tree: Portal (the city), District, Street, Community.

Each class names the child type it holds and its permission map (permission -> roles that hold
it here); ``portal.security.acl`` turns the map into the ``__acl__`` at request time, so an
edit of a map takes effect at once and nothing is copied onto objects.
"""
from portal.content.folder import Folder
from portal.i18n import _
from portal.security.acl import ACLMixin
from portal.security.roles import ADMIN, ANYONE, AUTHENTICATED, DISTRICT, STREET

VIEW = "view"
EDIT = "edit"
ADD = "add"
SHARING = "manage_sharing"
AUDIT = "view_audit"
ACCOUNTS = "manage_accounts"
BIND = "bind"
MANAGE = "manage_portal"
WORKLIST = "view_worklist"

STAFF_ABOVE_STREET = (ADMIN, DISTRICT)
STAFF = (ADMIN, DISTRICT, STREET)


class Node(ACLMixin, Folder):
    """A node of the administrative tree."""

    child_type = None
    type_title = ""
    permissions = {}

    def __init__(self, title="", **fields):
        super().__init__(title)
        self.update(**fields)

    def update(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)

    def permission_roles(self):
        return self.permissions


class Community(Node):
    type_name = "Community"
    type_title = _("Community")
    address = ""
    property_company = ""
    developer = ""
    description = ""
    parking_counts = False      # do parking spaces and stalls count? (the rules of procedure)
    register_summary = None     # copied from the register on every change, for statistics

    # register/, ballots/ and documents/ are hung on a new community by their own packages
    # (subscribers to ObjectAdded), so the tree knows nothing of them
    permissions = {
        VIEW: (ANYONE,),
        EDIT: STAFF,
        SHARING: STAFF,
        AUDIT: STAFF,
        BIND: (AUTHENTICATED,),
    }


class Street(Node):
    type_name = "Street"
    type_title = _("Street")
    child_type = Community
    kind = "subdistrict"
    office_address = ""
    office_phone = ""
    permissions = {
        VIEW: (ANYONE,),
        EDIT: STAFF,
        ADD: STAFF,
        SHARING: STAFF,
        AUDIT: STAFF,
        WORKLIST: STAFF,
    }


class District(Node):
    type_name = "District"
    type_title = _("District")
    child_type = Street
    code = ""
    permissions = {
        VIEW: (ANYONE,),
        EDIT: (ADMIN,),
        ADD: STAFF_ABOVE_STREET,
        SHARING: STAFF_ABOVE_STREET,
        AUDIT: STAFF_ABOVE_STREET,
        WORKLIST: STAFF_ABOVE_STREET,
    }


class Portal(Node):
    """The root: the city."""

    type_name = "Portal"
    type_title = _("City")
    child_type = District
    permissions = {
        VIEW: (ANYONE,),
        ADD: (ADMIN,),
        SHARING: (ADMIN,),
        AUDIT: (ADMIN,),
        ACCOUNTS: (ADMIN,),
        MANAGE: (ADMIN,),
        WORKLIST: (ADMIN,),
    }


CONTENT_TYPES = {cls.type_name: cls for cls in (District, Street, Community)}
