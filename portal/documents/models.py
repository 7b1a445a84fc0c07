"""Filed documents and their container.

A ``Document`` follows the workflow ``document`` (draft -> published -> withdrawn); its ACL is
computed from that definition at request time, like a ballot's.  A new version supersedes the
current file, and every earlier version stays readable in ``versions``.
"""
from persistent import Persistent
from pyramid.traversal import find_root

from portal.content.folder import NumberedFolder
from portal.i18n import _
from portal.security.acl import ACLMixin
from portal.security.roles import ANYONE, DISTRICT
from portal.workflow.definition import permission_roles
from portal.workflow.engine import Workflowed

TYPES = {
    "rules_of_procedure": _("Rules of procedure of the owners' assembly (议事规则)"),
    "management_statute": _("Management statute (管理规约)"),
    "receipt_management_area": _("Filing receipt: property management area"),
    "receipt_preliminary_contract": _("Filing receipt: preliminary property service contract"),
    "receipt_handover": _("Filing receipt: handover inspection (承接查验)"),
    "receipt_committee": _("Filing receipt: owners' committee"),
    "receipt_service_contract": _("Filing receipt: property service contract"),
}


class Documents(NumberedFolder):
    """``<community>/documents``."""

    type_name = "Documents"
    title = _("Filed documents")
    prefix = "d"
    permissions = {"view": (ANYONE,), "add_document": (DISTRICT,)}


class Document(Workflowed, ACLMixin, Persistent):
    type_name = "Document"
    notes = ""
    __name__ = None
    __parent__ = None

    def __init__(self, doc_type, title, filing_number, filing_date, notes=""):
        self.doc_type = doc_type
        self.title = title
        self.filing_number = filing_number
        self.filing_date = filing_date
        self.notes = notes
        self.versions = ()          # oldest first: {"file": uploads.stored_file(...), "by", "filing_number", ...}

    @property
    def current(self):
        return self.versions[-1] if self.versions else None

    @property
    def community(self):
        return self.__parent__.__parent__

    def definition(self):
        return find_root(self).workflows[self.workflow_id]

    def permission_roles(self):
        return permission_roles(self.definition(), self.state)
