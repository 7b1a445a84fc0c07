"""Helpers for the binding cost and concurrency tests: communities of a chosen size, owner
accounts with code letters, and the bound figures recounted the slow way."""
from contextlib import contextmanager

import transaction

from portal import clock
from portal.binding import codes
from portal.bootstrap import ROOT_KEY
from portal.content.models import Community
from portal.register import importer, rules, services
from portal.register.bound import bound_counts
from portal.register.generator import as_csv, community_rows
from portal.security.accounts import OWNER, Account

STREET = ("tianhe", "shipai")


@contextmanager
def two_connections(db):
    """Two connections to ``db``, each with its own transaction manager: ``(managers, connections)``,
    closed afterwards (for two transactions at once)."""
    managers = transaction.TransactionManager(), transaction.TransactionManager()
    connections = [db.open(tm) for tm in managers]
    try:
        yield managers, connections
    finally:
        for conn in connections:
            conn.close()


def add_community(db, personal, name, units, seed=11):
    """A community ``name`` under 石牌 with a register of about ``units`` dwellings."""
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    try:
        with tm:
            street = conn.root()[ROOT_KEY][STREET[0]][STREET[1]]
            community = street.add(name, Community(f"测试小区{name}", address="测试路1号"))
            rows = community_rows(units, seed=seed)
            prepared = importer.prepare(f"{name}.csv", as_csv(rows), personal)
            assert not prepared.errors, prepared.errors[:3]
            importer.apply(community["register"], prepared.units)
            services.refresh(community["register"], clock.now())
    finally:
        conn.close()


def community_in(portal, name):
    return portal[STREET[0]][STREET[1]][name]


def sole_owners(register, count):
    """``count`` unbound (unit, owner) of dwellings that one person owns alone."""
    found = []
    for id_hash, unit_ids in register.identity_index.items():
        units = [register[u] for u in unit_ids]
        if id_hash not in register.bindings and all(len(u.owners) == 1 and u.kind == rules.DWELLING
                                                    and not u.developer_unsold for u in units):
            found.append((units[0], units[0].owners[0]))
        if len(found) == count:
            break
    return found


def owners_with_letters(db, personal, tokens, name, count, login="binder"):
    """New owner accounts and, for each, an unbound owner of ``name`` with a fresh code letter:
    [{"token", "uid", "id_hash", "body"}] where body is what the owner types into @bind."""
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    prepared = []
    try:
        with tm:
            portal = conn.root()[ROOT_KEY]
            register = community_in(portal, name)["register"]
            for n, (unit, owner) in enumerate(sole_owners(register, count)):
                account = portal.accounts.add(Account(f"{login}{n}", "业主", "owner-password", kind=OWNER))
                code = codes.issue_letter(register, unit, owner, personal, clock.now(), "staff")
                prepared.append({"token": tokens.issue(account), "uid": account.uid, "id_hash": owner.id_hash,
                                 "body": {"name": personal.decrypt(owner.name_enc), "id_type": owner.id_type,
                                          "id_number": personal.decrypt(owner.id_enc), "method": "code",
                                          "code": code}})
    finally:
        conn.close()
    return prepared


def recount(community):
    """The bound figures counted from every unit, as the rules define them."""
    register = community["register"]
    facts = register.facts()
    bound = set(register.bindings.keys())
    figures = rules.bound(facts, bound, community.parking_counts)
    return {"bound_units": figures.units, "bound_owners": figures.owners,
            "counters": bound_counts(facts, bound, community.parking_counts)}


def bind_headers(token):
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}
