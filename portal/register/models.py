"""The register's persistent classes.

``Register`` (at ``<community>/register``) holds ``Unit`` objects by id, with an index by
address.  An ``Owner`` is a small plain object kept inside its unit; its name, ID number and phone
are stored only encrypted, beside keyed hashes for look-ups and a masked number for display.
"""
import re

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from portal.i18n import _
from portal.register import rules
from portal.register.bindings import Bindings
from portal.security.acl import ACLMixin
from portal.security.roles import ADMIN, DISTRICT, STREET

VIEW_REGISTER = "view_register"
EDIT_REGISTER = "edit_register"
EXPORT_UNMASKED = "export_unmasked"
ISSUE_CODE = "issue_binding_code"
UNBIND_OWNER = "unbind_owner"

REGISTER_PERMISSIONS = {
    VIEW_REGISTER: (ADMIN, DISTRICT, STREET),
    EDIT_REGISTER: (ADMIN, DISTRICT),
    EXPORT_UNMASKED: (DISTRICT,),
    ISSUE_CODE: (STREET,),        # after checking documents at the office
    UNBIND_OWNER: (STREET,),
}

KIND_TITLES = {rules.DWELLING: _("Dwelling"), rules.PARKING: _("Parking space"), rules.STALL: _("Stall")}
SOURCE_TITLES = {"registered": _("Registered area"), "surveyed": _("Surveyed area"),
                 "contract": _("Contract area")}


class Owner:
    """One person on a unit's title (encrypted fields end in ``_enc``)."""

    def __init__(self, name_enc, name_hash, id_type, id_enc, id_hash, id_masked, id_valid,
                 phone_enc=b"", phone_hash=""):
        self.name_enc = name_enc
        self.name_hash = name_hash
        self.id_type = id_type
        self.id_enc = id_enc
        self.id_hash = id_hash
        self.id_masked = id_masked
        self.id_valid = id_valid
        self.phone_enc = phone_enc
        self.phone_hash = phone_hash

    def facts(self):
        return rules.OwnerFacts(id_hash=self.id_hash, name_hash=self.name_hash, id_valid=self.id_valid)

    def same_as(self, other):
        return (self.id_type, self.id_hash, self.name_hash, self.phone_hash) == (
            other.id_type, other.id_hash, other.name_hash, other.phone_hash)


def address_key(building, unit_no, room):
    return (building.strip(), unit_no.strip(), room.strip())


def natural(text):
    """'12' sorts after '2': runs of digits are compared as numbers."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(10), text)


def sort_key(address):
    """The index key of an address: natural order, building by building, room by room."""
    return tuple(natural(part) for part in address)


class Unit(ACLMixin, Persistent):
    type_name = "Unit"

    def __init__(self, building, unit_no, room, kind=rules.DWELLING, area=0, area_source="registered",
                 developer_unsold=False, owners=()):
        self.building = building
        self.unit_no = unit_no
        self.room = room
        self.kind = kind
        self.area = area
        self.area_source = area_source
        self.developer_unsold = developer_unsold
        self.owners = tuple(owners)

    @property
    def title(self):
        return address_title(self.building, self.unit_no, self.room)

    @property
    def address(self):
        return address_key(self.building, self.unit_no, self.room)

    def facts(self):
        return rules.UnitFacts(key=self.__name__, kind=self.kind, area=self.area,
                               developer_unsold=self.developer_unsold,
                               owners=tuple(o.facts() for o in self.owners), building=self.building)

    def same_as(self, other):
        mine = (self.kind, self.area, self.area_source, self.developer_unsold, len(self.owners))
        theirs = (other.kind, other.area, other.area_source, other.developer_unsold, len(other.owners))
        return mine == theirs and all(a.same_as(b) for a, b in zip(self.owners, other.owners))

    def permission_roles(self):
        return REGISTER_PERMISSIONS


def address_title(building, unit_no, room):
    """'3', '2', '1201' -> '3栋2单元1201'; names that say it already are kept as they are."""
    parts = [building + ("栋" if building.isdigit() else "")]
    if unit_no:
        parts.append(unit_no + ("单元" if unit_no.isdigit() else ""))
    parts.append(room)
    return "".join(parts)


class GrowingIndex(OOBTree):
    """An OOBTree with buckets four times the default size, which split a quarter as often (a
    split cannot merge with a concurrent change).  Stored databases hold communities' local roles
    in one (evolve step 0010); new trees that many transactions write at once are seeded instead
    (``register.bindings``)."""
    max_leaf_size = 120
    max_internal_size = 1000


class Register(ACLMixin, Persistent):
    """A community's electronic voting register."""

    type_name = "Register"
    title = _("Owner register")

    def __init__(self):
        self.units = OOBTree()
        self._count = Length()
        self._by_address = OOBTree()
        self._next = 1
        self.version = 0
        self.established = None     # the first import
        self.updated = None
        self.pending = None         # a previewed import waiting for confirmation
        self.add_binding_structures()

    # Registers stored before these existed get them from evolve steps (0002, 0010).
    unbind_requests = None      # id hash -> records.UnbindRequest (evolve 0032 adds it)
    code_uses = letters = None  # evolve 0042 adds them
    figures = None              # the last recount: totals and gaps ("summary" adds the bound figures)

    def add_binding_structures(self):
        self.identity_index = OOBTree()   # id hash -> tuple of unit ids (rebuilt on every edit)
        self.bindings = Bindings()        # id hash -> records.Binding, every identity seeded
        self.codes = OOBTree()            # code hash -> records.CodeLetter (see binding.codes)
        self.code_uses = OOBTree()        # code hash -> codes.UNUSED or records.CodeUse
        self.letters = OOBTree()          # id hash -> code hash of the newest letter
        self.unbind_requests = OOBTree()  # id hash -> records.UnbindRequest

    def bound_counts(self):
        return self.bindings.bound_counts()

    def count_binding(self, change, sign=1):
        """Add (``sign`` 1) or take away (-1) a ``bound.BoundCounts`` change."""
        self.bindings.count_binding(change, sign)

    def set_bound_counts(self, counted):
        """Set the counters to a recount (after an edit of the register)."""
        self.bindings.set_bound_counts(counted)

    @property
    def summary(self):
        """The last recount's figures, with the bound units and owners as they are now."""
        if not self.figures:
            return {}
        counted = self.bound_counts()
        return dict(self.figures, bound_units=counted.units, bound_owners=counted.owners())

    def __len__(self):
        return self._count()

    def __getitem__(self, unit_id):
        unit = self.units[unit_id]
        return unit

    def get(self, unit_id, default=None):
        return self.units.get(unit_id, default)

    def by_address(self, address):
        unit_id = self._by_address.get(sort_key(address))
        return self.units[unit_id] if unit_id is not None else None

    def add(self, unit):
        key = sort_key(unit.address)
        if key in self._by_address:
            raise KeyError(unit.address)
        unit_id = f"u{self._next}"
        self._next += 1
        unit.__name__, unit.__parent__ = unit_id, self
        self.units[unit_id] = unit
        self._by_address[key] = unit_id
        self._count.change(1)
        return unit

    def remove(self, unit_id):
        unit = self.units.pop(unit_id)
        del self._by_address[sort_key(unit.address)]
        self._count.change(-1)
        return unit

    def readdress(self, unit, building, unit_no, room):
        """Change a unit's address, keeping the index true; KeyError if the address is taken."""
        new = address_key(building, unit_no, room)
        if new != unit.address:
            if sort_key(new) in self._by_address:
                raise KeyError(new)
            del self._by_address[sort_key(unit.address)]
            self._by_address[sort_key(new)] = unit.__name__
        unit.building, unit.unit_no, unit.room = new

    def values(self):
        """The units in address order."""
        return (self.units[unit_id] for unit_id in self._by_address.values())

    def in_order(self, start=None, limit=50):
        """``limit`` units in address order from the unit ``start`` (an id), and the id after them."""
        begin = sort_key(self.units[start].address) if start in self.units else None
        page, following = [], None
        for unit_id in self._by_address.values(min=begin):
            if len(page) == limit:
                following = unit_id
                break
            page.append(self.units[unit_id])
        return page, following

    def facts(self):
        return [unit.facts() for unit in self.units.values()]

    def reindex_identities(self):
        index = {}
        for unit_id, unit in self.units.items():
            for owner in unit.owners:
                if owner.id_hash:
                    index.setdefault(owner.id_hash, []).append(unit_id)
        self.identity_index.clear()
        self.identity_index.update({k: tuple(v) for k, v in index.items()})
        self.bindings.seed(index)

    def units_of(self, id_hash):
        return [self.units[u] for u in self.unit_ids_of(id_hash)]

    def unit_ids_of(self, id_hash):
        """The ids of the units ``id_hash`` is an owner of (no unit is loaded)."""
        return self.identity_index.get(id_hash, ())

    def permission_roles(self):
        return REGISTER_PERMISSIONS
