"""The audit log's evolve step."""
from portal import evolve


@evolve.step("0033-audit-action-index")
def add_action_index(portal):
    """Logs made before the filter by action reached every entry get the index it reads: each
    sealed entry filed under (subtree, action)."""
    from BTrees.OOBTree import OOBTree

    log = portal.audit_log
    if log._by_action is None:
        log._by_action = OOBTree()
        for entry in log._entries.values():
            log.index(entry)
