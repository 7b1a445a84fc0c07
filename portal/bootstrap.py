"""Creating the root of a new database and finding it again for each request."""
import transaction
from BTrees.OOBTree import OOBTree
from pyramid_zodbconn import get_connection

from portal import evolve
from portal.audit.log import AuditLog
from portal.catalog.store import new_catalog
from portal.content.models import Portal
from portal.security.accounts import Accounts
from portal.security.throttle import Throttle
from portal.search.index import SearchIndex
from portal.workflow import registry as workflow_registry

ROOT_KEY = "portal"


def new_portal(title="广州市"):
    portal = Portal(title)
    portal.accounts = Accounts()
    portal.audit_log = AuditLog()
    portal.throttle = Throttle()
    portal.evolved = OOBTree()
    portal.phone_codes = OOBTree()      # mobile number hash -> pending sign-up code
    portal.face_requests = OOBTree()    # nonce -> face verification request
    portal.workflows = workflow_registry.new_store()
    portal.clock_offset = None
    portal.search_index = SearchIndex()
    portal.catalog = new_catalog()
    evolve.mark_all_done(portal)
    return portal


def ensure_portal(db):
    """Create the Portal in a new database (its own transaction); return whether it did."""
    conn = db.open(transaction.TransactionManager())
    try:
        root = conn.root()
        if ROOT_KEY in root:
            return False
        conn.transaction_manager.begin()
        root[ROOT_KEY] = new_portal()
        conn.transaction_manager.get().note("create the portal")
        conn.transaction_manager.commit()
        return True
    finally:
        conn.close()


def root_factory(request):
    return get_connection(request).root()[ROOT_KEY]
