"""Asking the catalog: objects of a type under a path, in a phase, visible to some principals,
sorted and batched.  Views call these; nothing here walks the tree."""
from dataclasses import dataclass

from portal.catalog import facts, indexing

BATCH = 20
MAX_BATCH = 100


@dataclass
class Batch:
    items: list         # the objects of this batch
    total: int          # how many matched in all
    start: int
    limit: int

    @property
    def next_start(self):
        return self.start + self.limit if self.start + self.limit < self.total else None

    @property
    def previous_start(self):
        return max(0, self.start - self.limit) if self.start > 0 else None


def path_of(node):
    return facts.path_of(node)


def principals_of(request):
    """The principals a catalogued object's "allowed" index is matched against."""
    account = request.identity
    if account is None:
        return [facts.EVERYONE]
    return [facts.EVERYONE, facts.AUTHENTICATED_PRINCIPAL, "uid:" + account.uid] + [
        facts.owners_of(path) for path in account.communities]


def batch_params(params, default=BATCH):
    """(start, limit) from a request's ``start`` and ``limit``; bad values fall back to the first
    batch of the default size, like the folder listings do with theirs."""
    try:
        start = max(0, int(params.get("start", 0)))
    except (TypeError, ValueError):
        start = 0
    try:
        limit = max(1, min(MAX_BATCH, int(params.get("limit", default))))
    except (TypeError, ValueError):
        limit = default
    return start, limit


def _query(catalog, type_name=None, under=None, phase=None, principals=None, published=False,
           due_before=None, registered=None, gap=None, staff=None, state=None, unbind_asked=None):
    terms = []
    if unbind_asked is not None:
        terms.append(catalog["unbind_asked"].eq(1 if unbind_asked else 0))
    if registered is not None:
        terms.append(catalog["registered"].eq(1 if registered else 0))
    if gap is not None:
        terms.append(catalog["gaps"].any(list(gap)) if isinstance(gap, (list, tuple, set)) else catalog["gaps"].eq(gap))
    if staff is not None:
        terms.append(catalog["staff"].eq(staff))
    if state is not None:
        terms.append(catalog["state"].eq(state))
    if type_name is not None:
        terms.append(catalog["type"].eq(type_name))
    if under is not None:
        terms.append(catalog["path"].eq(under))
    if phase is not None:
        terms.append(catalog["phase"].any(list(phase)) if isinstance(phase, (list, tuple, set))
                     else catalog["phase"].eq(phase))
    if principals is not None:
        terms.append(catalog["allowed"].any(list(principals)))
    if published:
        terms.append(catalog["published"].ge(0))
    if due_before is not None:
        terms.append(catalog["due"].le(facts.stamp(due_before)))
    query = terms[0]
    for term in terms[1:]:
        query = query & term
    return query


def docids(portal, sort=None, reverse=False, limit=None, **terms):
    """The matching document ids, sorted by the index ``sort`` when given (at most ``limit``)."""
    indexing.flush(portal)
    catalog = portal.catalog
    result = _query(catalog, **terms).execute()
    total = len(result)
    if sort is not None:
        result = result.sort(catalog[sort], reverse=reverse, limit=limit)
    return list(result.all(resolve=False)), total


def ids(portal, **terms):
    """The matching document ids as a set of the catalog's family (to intersect; nothing loaded)."""
    indexing.flush(portal)
    found = _query(portal.catalog, **terms).execute().ids
    return found if hasattr(found, "keys") else portal.catalog.family.IF.Set(found)


def count(portal, **terms):
    """How many objects match (nothing is loaded)."""
    indexing.flush(portal)
    return len(_query(portal.catalog, **terms).execute())


def paths(portal, **query):
    ids, _total = docids(portal, **query)
    return [portal.catalog.documents.path_of[d] for d in ids]


def objects(portal, **query):
    """The matching objects (gone ones skipped)."""
    found = (indexing.resolve(portal, p) for p in paths(portal, **query))
    return [obj for obj in found if obj is not None]


def batch(portal, start=0, limit=BATCH, sort=None, reverse=False, **terms):
    """One batch of the matching objects, in the order of ``sort``."""
    ids, total = docids(portal, sort=sort, reverse=reverse, limit=start + limit if sort else None, **terms)
    chosen = ids[start:start + limit]
    documents = portal.catalog.documents
    items = [indexing.resolve(portal, documents.path_of[d]) for d in chosen]
    return Batch([obj for obj in items if obj is not None], total, start, limit)


def communities_under(portal, path):
    """The communities at or below ``path``."""
    return objects(portal, type_name="Community", under=path)
