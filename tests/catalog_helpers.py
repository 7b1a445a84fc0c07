"""Comparing the catalog with a full walk of the tree: every index, and the answers built on it."""
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from portal.catalog import facts, indexing, query
from portal.catalog.rebuild import catalogued_objects
from portal.security.localroles import effective_roles
from portal.security.roles import principal_for


def walk(portal):
    """{path: object} of everything the catalog should hold, by walking the tree."""
    return {facts.path_of(obj): obj for obj in catalogued_objects(portal)}


def stored(catalog, name, docid):
    index = catalog[name]
    value = index._rev_index.get(docid)
    return sorted(value) if name in facts.KEYWORDS and value is not None else value


def expected(name, obj):
    discriminators = dict(facts.FIELDS, **facts.KEYWORDS)
    value = discriminators[name](obj, None)
    return sorted(value) or None if name in facts.KEYWORDS and value is not None else value


def differences(portal):
    """What the catalog says that a walk does not (empty when they agree)."""
    indexing.flush(portal)          # what a query does first
    catalog, found = portal.catalog, []
    objects = walk(portal)
    documents = catalog.documents
    if set(documents.docid_of.keys()) != set(objects):
        found.append(("paths", sorted(set(documents.docid_of.keys()) ^ set(objects))))
    if len(documents) != len(objects):
        found.append(("count", len(documents), len(objects)))
    for path, obj in objects.items():
        docid = documents.docid_of.get(path)
        if docid is None:
            continue
        for name in list(facts.FIELDS) + list(facts.KEYWORDS):
            if stored(catalog, name, docid) != expected(name, obj):
                found.append((path, name, stored(catalog, name, docid), expected(name, obj)))
        recorded = catalog.facts.get(docid)
        if recorded is not None and recorded != indexing.record_of(catalog, obj):
            found.append((path, "recorded facts", recorded, indexing.record_of(catalog, obj)))
    if set(catalog.facts.keys()) - set(documents.path_of.keys()):
        found.append(("facts of documents gone", sorted(set(catalog.facts.keys()) - set(documents.path_of.keys()))))
    return found


def principals(obj, uid):
    """The principals the security policy gives ``uid`` at ``obj``."""
    return [Everyone, Authenticated, "uid:" + uid] + [principal_for(r) for r in sorted(effective_roles(obj, uid))]


def visibility_differences(portal, uids):
    """Objects whose "allowed" answer differs from what the ACL decides, for each account."""
    acl, found = ACLHelper(), []
    objects = walk(portal)
    for uid in [None] + list(uids):
        given = [facts.EVERYONE] if uid is None else [facts.EVERYONE, facts.AUTHENTICATED_PRINCIPAL, "uid:" + uid]
        seen = set(query.paths(portal, principals=given))
        for path, obj in objects.items():
            may = bool(acl.permits(obj, [Everyone] if uid is None else principals(obj, uid), "view"))
            if may != (path in seen):
                found.append((uid, path, may))
    return found


def query_differences(portal):
    """Type-under-path answers of the catalog against the walk, for every node walked."""
    objects, found = walk(portal), []
    for under in ["/"] + sorted(objects):
        for type_name in sorted(facts.CATALOGUED):
            want = {p for p, o in objects.items() if o.type_name == type_name and facts.ancestors(p).count(under)}
            got = set(query.paths(portal, type_name=type_name, under=under))
            if want != got:
                found.append((under, type_name, sorted(want ^ got)))
    return found
