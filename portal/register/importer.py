"""Importing a register file: every row checked, all or nothing, with a preview of the changes.

``prepare`` reads and checks the whole file and returns either the list of every bad row
(row number, column, room, the bad value, message) or the prepared units, owners already
encrypted; ``compare`` tells what applying them would add, change and remove, ``gaps_of`` what
they leave to fill in; ``apply`` makes the register equal to the file.  Nothing here touches the
register until ``apply``.

Malformed rows (no room, an area that is not a number, an unknown kind) refuse the whole file.
Facts that are suspicious but real are imported and become the register's gaps: a unit with no
area yet (an empty area cell), a resident ID number whose check digit fails, one ID number under
two names, a unit whose owner is not known yet.
"""
import datetime
from dataclasses import dataclass, field

from portal.i18n import _
from portal.register import idnumbers, rules
from portal.register.models import Unit, address_key, address_title
from portal.register.columns import (  # noqa: F401  (the importer's names for them)
    CHINESE_HEADERS, COLUMNS, HEADER_TO_COLUMN, ID_TYPE_WORDS, KIND_WORDS, PHONE_LENGTH, REQUIRED_COLUMNS,
    SOURCE_WORDS, YES_NO, column_title, masked)
from portal.register.owners import new_owner
from portal.register.table import UnreadableFile, read_rows



@dataclass
class RowError:
    row: int
    column: str
    message: object
    room: str = ""          # the row's address ("1栋1单元101"), when it has one
    value: str = ""         # the bad cell as written (personal columns masked)

    def column_title(self, english=False):
        return column_title(self.column, english)

    def as_dict(self, translate, english=False):
        return {"row": self.row, "column": self.column, "column_title": self.column_title(english),
                "room": self.room, "value": self.value, "message": translate(self.message)}


@dataclass
class Prepared:
    units: list = field(default_factory=list)      # Unit objects, not yet in any register
    errors: list = field(default_factory=list)     # RowError, in row order
    rows: int = 0


@dataclass
class Changes:
    added: list
    changed: list
    removed: list
    unchanged: int

    @property
    def empty(self):
        return not (self.added or self.changed or self.removed)


def header_map(header):
    """{column: index} from a header row of English or Chinese names, and the unknown ones."""
    found, unknown = {}, []
    for index, name in enumerate(header):
        column = HEADER_TO_COLUMN.get(name.strip().lower() if name.isascii() else name.strip())
        if column:
            found[column] = index
        elif name.strip():
            unknown.append(name)
    return found, unknown


def valid_phone(phone):
    return len(phone) == PHONE_LENGTH and phone.isdigit() and phone[0] == "1" and phone[1] in "3456789"


class RowChecker:
    """Checks one row after another, remembering what cross-row rules need."""

    def __init__(self, personal, today):
        self.personal = personal
        self.today = today
        self.units = {}          # address -> (first row, Unit)
        self.errors = []
        self.cells, self.room = {}, ""

    def error(self, row, column, message):
        self.errors.append(RowError(row, column, message, room=self.room,
                                    value=masked(column, self.cells.get(column, ""))))

    def check(self, row_no, cells):
        errors_before = len(self.errors)
        building, room = cells["building"], cells["room"]
        self.cells = cells
        self.room = address_title(building, cells["unit"], room) if room else ""
        if not building:
            self.error(row_no, "building", _("The building is missing."))
        if not room:
            self.error(row_no, "room", _("The room number is missing."))
        kind = KIND_WORDS.get(cells["kind"].lower())
        if kind is None:
            self.error(row_no, "kind", _("The kind must be dwelling, parking or stall (住宅, 车位, 摊位)."))
        # an empty area is a fact not known yet (a gap); a wrong one is an error
        area = rules.parse_area(cells["area_m2"]) if cells["area_m2"] else 0
        if area is None:
            self.error(row_no, "area_m2", _("The area must be a positive number with at most two decimals."))
        source = SOURCE_WORDS.get(cells["area_source"].lower() or ("registered" if not area else ""))
        if source is None:
            self.error(row_no, "area_source",
                       _("The area source must be registered, surveyed or contract (登记, 实测, 合同)."))
        unsold = YES_NO.get(cells["developer_unsold"].lower())
        if unsold is None:
            self.error(row_no, "developer_unsold", _("Developer unsold must be yes or no (是 or 否)."))
        owner = self.check_owner(row_no, cells, unsold)
        if len(self.errors) > errors_before:
            return
        address = address_key(building, cells["unit"], room)
        first = self.units.get(address)
        if first is None:
            unit = Unit(*address, kind=kind, area=area, area_source=source, developer_unsold=unsold,
                        owners=(owner,) if owner else ())
            self.units[address] = (row_no, unit)
            return
        first_row, unit = first
        if (unit.kind, unit.area, unit.area_source, unit.developer_unsold) != (kind, area, source, unsold):
            self.error(row_no, "area_m2", _("The same room as row ${row} with a different kind, area, "
                                            "area source or developer status.", mapping={"row": first_row}))
        elif owner is None:
            self.error(row_no, "owner_name", _("The same room as row ${row}; a repeated room row must name "
                                               "another co-owner.", mapping={"row": first_row}))
        elif any(o.id_hash == owner.id_hash for o in unit.owners):
            self.error(row_no, "id_number", _("This owner is already on this room (row ${row}).",
                                              mapping={"row": first_row}))
        else:
            unit.owners = unit.owners + (owner,)

    def check_owner(self, row_no, cells, unsold):
        name, id_type_word, number, phone = (cells["owner_name"], cells["id_type"], cells["id_number"],
                                             cells["phone"])
        if unsold:
            if name or number:
                self.error(row_no, "owner_name", _("A unit the developer has not sold has no owner; "
                                                   "leave the owner columns empty."))
            return None
        if not (name or id_type_word or number):
            return None     # a unit whose owner is not known yet: a gap to fill, not an error
        if not name:
            self.error(row_no, "owner_name", _("The owner's name is missing."))
        id_type = ID_TYPE_WORDS.get(id_type_word.lower() if id_type_word.isascii() else id_type_word)
        if id_type is None:
            self.error(row_no, "id_type", _("The ID type must be resident_id, overseas_passport or "
                                            "hk_macao_permit (居民身份证, 华侨普通护照, 港澳居民来往内地通行证)."))
            return None
        # a check digit that fails is kept (a gap to fill); a number of the wrong shape is not
        message = idnumbers.problem(id_type, number, self.today, check_digit=False)
        if message is not None:
            self.error(row_no, "id_number", message)
        if phone and not valid_phone(phone):
            self.error(row_no, "phone", _("The phone must be an 11-digit mainland mobile number."))
        if not name or message is not None:
            return None
        # one ID number under two names is imported as it is: the gap report names both units
        return new_owner(self.personal, name, id_type, number, phone)


def prepare(filename, data, personal, today=None):
    """Check the whole file; Prepared with either ``errors`` or ``units``."""
    prepared = Prepared()
    try:
        rows = read_rows(filename, data)
    except UnreadableFile as exc:
        prepared.errors.append(RowError(0, "", exc.args[0]))
        return prepared
    if not rows:
        prepared.errors.append(RowError(1, "", _("The file is empty.")))
        return prepared
    columns, unknown = header_map(rows[0])
    for name in unknown:
        prepared.errors.append(RowError(1, name, _("Unknown column.")))
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            prepared.errors.append(RowError(1, column, _("This column is missing.")))
    if prepared.errors:
        return prepared
    checker = RowChecker(personal, today or datetime.date.today())
    for row_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        prepared.rows += 1
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in columns.items()}
        for column in COLUMNS:
            cells.setdefault(column, "")
        checker.check(row_no, cells)
    if not prepared.rows:
        prepared.errors.append(RowError(2, "", _("The file has no units.")))
    prepared.errors.extend(checker.errors)
    prepared.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    if not prepared.errors:
        prepared.units = [unit for _row, unit in checker.units.values()]
    return prepared


def gaps_of(units):
    """{gap name: room titles} of what ``units`` (prepared, not yet in a register) leave to fill."""
    facts = [rules.UnitFacts(key=u.title, kind=u.kind, area=u.area, developer_unsold=u.developer_unsold,
                             owners=tuple(o.facts() for o in u.owners)) for u in units]
    return {name: titles for name, titles in rules.gaps(facts).items() if titles}


def compare(register, units):
    """What making the register equal to ``units`` would add, change and remove (addresses)."""
    incoming = {unit.address for unit in units}
    added, changed, unchanged = [], [], 0
    for unit in units:
        current = register.by_address(unit.address)
        if current is None:
            added.append(unit.title)
        elif current.same_as(unit):
            unchanged += 1
        else:
            changed.append(unit.title)
    removed = [u.title for u in register.values() if u.address not in incoming]
    return Changes(added=added, changed=changed, removed=removed, unchanged=unchanged)


def apply(register, units):
    """Make the register equal to ``units``; existing units keep their ids."""
    incoming = {unit.address for unit in units}
    for unit_id in [u.__name__ for u in register.values() if u.address not in incoming]:
        register.remove(unit_id)
    for unit in units:
        current = register.by_address(unit.address)
        if current is None:
            register.add(unit)
        elif not current.same_as(unit):
            current.kind, current.area, current.area_source = unit.kind, unit.area, unit.area_source
            current.developer_unsold, current.owners = unit.developer_unsold, unit.owners
