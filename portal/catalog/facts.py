"""What the catalog knows of each object: the discriminators of its indexes (no Pyramid here).

Every function takes ``(obj, default)`` and returns ``default`` when the fact does not apply, so
the index leaves the object out (hypatia's convention).  They are module-level functions because
the indexes keep a reference to them in the database.
"""
import math

from portal.catalog import timers
from portal.security.roles import ANYONE, AUTHENTICATED, OWNER

# The principals an ACL names for "anyone" and "authenticated" (pyramid.authorization's values,
# spelt here so that this module needs no Pyramid).
EVERYONE = "system.Everyone"
AUTHENTICATED_PRINCIPAL = "system.Authenticated"

CATALOGUED = frozenset({"District", "Street", "Community", "Ballot", "Document"})


def catalogued(obj):
    return getattr(obj, "type_name", None) in CATALOGUED


def path_of(obj):
    """'/district/street/community/ballots/b1' (the portal is '/')."""
    names = []
    while getattr(obj, "__parent__", None) is not None:
        names.append(obj.__name__)
        obj = obj.__parent__
    return "/" + "/".join(reversed(names))


def ancestors(path):
    """'/a/b' -> ['/', '/a', '/a/b']: the keywords of the path index."""
    parts = [p for p in path.split("/") if p]
    return ["/"] + ["/" + "/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def stamp(when):
    """A sortable UTC timestamp (whole seconds) of an aware datetime."""
    return math.floor(when.timestamp())


def type_name(obj, default):
    return obj.type_name if catalogued(obj) else default


def path(obj, default):
    return ancestors(path_of(obj))


def community(obj, default):
    if obj.type_name == "Community":
        return path_of(obj)
    if obj.type_name in ("Ballot", "Document"):
        return path_of(obj.community)
    return default


def workflow(obj, default):
    return getattr(obj, "workflow_id", None) or default


def state(obj, default):
    return getattr(obj, "state", None) or default


def phase(obj, default):
    if not getattr(obj, "workflow_id", None):
        return default
    found = obj.definition()["states"].get(obj.state)
    return found["phase"] if found else default


def published(obj, default):
    """In microseconds, so that notices published the same second still sort by time."""
    when = getattr(obj, "published", None)
    return round(when.timestamp() * 1_000_000) if when is not None else default


def _window(obj, end, default):
    if obj.type_name != "Ballot" or getattr(obj, "start_date", None) is None:
        return default
    return stamp(obj.window()[end])


def voting_start(obj, default):
    return _window(obj, 0, default)


def voting_end(obj, default):
    return _window(obj, 1, default)


def due(obj, default):
    when = timers.next_due(obj)
    return stamp(when) if when is not None else default


def view_roles(obj):
    return set(obj.permission_roles().get("view", ()))


def owners_of(community_path):
    """The principal of every owner bound in a community: thousands of owners hold the owner role
    there, so the index names them together, and a bind or unbind changes no index entry."""
    return "owners:" + community_path


def allowed(obj, default):
    """The principals that may view ``obj``: everyone or every signed-in account when its map
    says so, else the accounts holding one of the view roles on it or on any node above it (the
    owners of a community by ``owners_of``)."""
    roles = view_roles(obj)
    if ANYONE in roles:
        return [EVERYONE]
    if AUTHENTICATED in roles:
        return [AUTHENTICATED_PRINCIPAL]
    found = set()
    node = obj
    while node is not None:
        wanted = roles
        if getattr(node, "type_name", None) == "Community" and OWNER in roles:
            found.add(owners_of(path_of(node)))
            wanted = roles - {OWNER}
        if wanted:
            for uid, held in getattr(node, "local_roles", {}).items():
                if wanted.intersection(held):
                    found.add("uid:" + uid)
        node = getattr(node, "__parent__", None)
    return sorted(found)


def registered(obj, default):
    """Communities: 1 once their register holds a unit that counts, else 0 (the desks count both)."""
    if obj.type_name != "Community":
        return default
    summary = getattr(obj, "register_summary", None)
    return 1 if summary and summary.get("units") else 0


def unbind_asked(obj, default):
    """Communities: 1 while an owner waits for the street office to unbind another account."""
    if obj.type_name != "Community":
        return default
    register = obj.get("register")
    requests = getattr(register, "unbind_requests", None)
    return 1 if requests and any(r["state"] == "pending" for r in requests.values()) else 0


def gaps(obj, default):
    """Communities: the kinds of gap their register's last recount found (查漏补缺)."""
    if obj.type_name != "Community":
        return default
    register = obj.get("register")
    figures = getattr(register, "figures", None) or {}
    found = sorted(name for name, count in figures.get("gaps", {}).items() if count)
    return found or default


STAFF_ROLES = frozenset({"admin", "district", "street", "organizer"})


def staff(obj, default):
    """Districts, streets and communities: the accounts holding a role granted on the node itself
    (where staff land after signing in; the office the audit log names them by)."""
    if obj.type_name not in ("District", "Street", "Community"):
        return default
    found = sorted(uid for uid, held in getattr(obj, "local_roles", {}).items() if STAFF_ROLES.intersection(held))
    return found or default


FIELDS = {"type": type_name, "community": community, "workflow": workflow, "state": state,
          "phase": phase, "published": published, "voting_start": voting_start,
          "voting_end": voting_end, "due": due, "registered": registered,
          "unbind_asked": unbind_asked}
KEYWORDS = {"path": path, "allowed": allowed, "gaps": gaps, "staff": staff}
