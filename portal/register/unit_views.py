"""A unit's page, and correcting units and owners one at a time (every change audited)."""
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from portal import clock
from portal.forms import FormError, FormPage
from portal.i18n import _
from portal.register import rules, services
from portal.register.idnumbers import TITLES as ID_TITLES
from portal.register.models import EDIT_REGISTER, KIND_TITLES, SOURCE_TITLES, VIEW_REGISTER, Register, Unit
from portal.register.owners import new_owner, shown
from portal.register.schemas import OwnerSchema, UnitSchema
from portal.request import index_in


def changed(request, unit, action, **detail):
    register = unit.__parent__
    services.refresh(register, clock.now())
    request.audit(action, unit, **detail)


@view_config(context=Unit, json=False, permission=VIEW_REGISTER, renderer="portal.templates:unit.pt")
def unit_page(context, request):
    personal = request.registry.personal_data
    bindings = context.__parent__.bindings
    owners = [dict(shown(personal, o), bound=o.id_hash in bindings) for o in context.owners]
    return {"owners": owners, "area": rules.format_area(context.area),
            "kind_titles": KIND_TITLES, "source_titles": SOURCE_TITLES, "id_titles": ID_TITLES}


@view_config(context=Unit, json=True, request_method="GET", permission=VIEW_REGISTER, renderer="json")
def unit_json(context, request):
    personal = request.registry.personal_data
    return {"@id": request.resource_url(context).rstrip("/"), "@type": "Unit", "id": context.__name__,
            "title": context.title, "building": context.building, "unit_no": context.unit_no,
            "room": context.room, "kind": context.kind, "area": rules.format_area(context.area),
            "area_source": context.area_source, "developer_unsold": context.developer_unsold,
            "owners": [shown(personal, o) for o in context.owners]}


def unit_values(unit):
    return {"building": unit.building, "unit_no": unit.unit_no, "room": unit.room, "kind": unit.kind,
            "area": unit.area, "area_source": unit.area_source, "developer_unsold": unit.developer_unsold}


ADDRESS_TAKEN = _("Another unit already has this address.")


@view_config(context=Register, name="@add-unit", json=False, permission=EDIT_REGISTER)
class AddUnitPage(FormPage):
    schema = UnitSchema
    title = _("Add a unit")
    buttons = (("add", _("Add")),)

    def succeed(self, values):
        unit = Unit(values["building"], values["unit_no"], values["room"], kind=values["kind"],
                    area=values["area"], area_source=values["area_source"],
                    developer_unsold=values["developer_unsold"])
        try:
            self.context.add(unit)
        except KeyError:
            raise FormError(ADDRESS_TAKEN, "room")
        changed(self.request, unit, "register.unit_add")
        return HTTPFound(self.request.resource_url(unit))


@view_config(context=Unit, name="@edit", json=False, permission=EDIT_REGISTER)
class EditUnitPage(FormPage):
    schema = UnitSchema
    title = _("Correct the unit")

    def appstruct(self):
        return unit_values(self.context)

    def succeed(self, values):
        unit = self.context
        fields = sorted(k for k, v in values.items() if unit_values(unit)[k] != v)
        try:
            unit.__parent__.readdress(unit, values["building"], values["unit_no"], values["room"])
        except KeyError:
            raise FormError(ADDRESS_TAKEN, "room")
        unit.kind, unit.area, unit.area_source = values["kind"], values["area"], values["area_source"]
        unit.developer_unsold = values["developer_unsold"]
        if fields:
            changed(self.request, unit, "register.unit_edit", fields=",".join(fields))
        return HTTPFound(self.request.resource_url(unit))


@view_config(context=Unit, name="@remove", json=False, request_method="POST", permission=EDIT_REGISTER)
def remove_unit(context, request):
    """Remove a unit; the form must say ``confirm=yes`` (a stray POST removes nothing)."""
    register = context.__parent__
    if request.POST.get("confirm") != "yes":
        return HTTPFound(request.resource_url(context))
    request.audit("register.unit_remove", context)
    register.remove(context.__name__)
    services.refresh(register, clock.now())
    return HTTPFound(request.resource_url(register))


class OwnerPage(FormPage):
    schema = OwnerSchema

    def index(self):
        return index_in(self.request.params.get("i", ""), len(self.context.owners))

    def make(self, values, keep=None):
        personal = self.request.registry.personal_data
        number = values["id_number"]
        if not number:
            if keep is None or keep.id_type != values["id_type"]:
                raise FormError(_("Enter the ID number."), "id_number")
            number = personal.decrypt(keep.id_enc)
        owner = new_owner(personal, values["name"], values["id_type"], number, values["phone"])
        others = [o for o in self.context.owners if o is not keep]
        if any(o.id_hash == owner.id_hash for o in others):
            raise FormError(_("This person is already an owner of this unit."), "id_number")
        return owner


@view_config(context=Unit, name="@add-owner", json=False, permission=EDIT_REGISTER)
class AddOwnerPage(OwnerPage):
    title = _("Add an owner")
    buttons = (("add", _("Add")),)

    def succeed(self, values):
        if self.context.developer_unsold:
            raise FormError(_("A unit the developer has not sold has no owner."))
        self.context.owners = self.context.owners + (self.make(values),)
        changed(self.request, self.context, "register.owner_add")
        return HTTPFound(self.request.resource_url(self.context))


@view_config(context=Unit, name="@owner", json=False, permission=EDIT_REGISTER)
class EditOwnerPage(OwnerPage):
    title = _("Correct the owner")

    def __call__(self):
        if self.index() is None:
            return HTTPFound(self.request.resource_url(self.context))
        return super().__call__()

    def action(self):
        return self.request.resource_url(self.context, "@owner", query={"i": self.index()})

    def appstruct(self):
        owner = self.context.owners[self.index()]
        personal = self.request.registry.personal_data
        return {"name": personal.decrypt(owner.name_enc), "id_type": owner.id_type, "id_number": "",
                "phone": personal.decrypt(owner.phone_enc)}

    def succeed(self, values):
        from portal.events import notify
        from portal.register.events import SaleChecked, UnitSold

        index = self.index()
        owners = list(self.context.owners)
        replaced = owners[index]
        owners[index] = self.make(values, keep=replaced)
        sold = owners[index].id_hash != replaced.id_hash         # another person: the unit changed hands
        if sold:
            check = SaleChecked(self.context)
            notify(check)
            if check.live and not values.get("reason"):
                raise FormError(_("This unit votes on ${ballots}: a change of owner while the electorate is "
                                  "frozen needs its reason (e.g. the registration of the sale).",
                                  mapping={"ballots": "、".join(check.live)}), "reason")
        self.context.owners = tuple(owners)
        changed(self.request, self.context, "register.owner_edit", owner=index + 1)
        if sold:
            event = UnitSold(self.context, values.get("reason", ""), clock.now())
            notify(event)
            for ballot, outcome in event.outcomes:
                self.request.audit("ballot.unit_sold", ballot, unit=self.context.__name__, outcome=outcome)
        return HTTPFound(self.request.resource_url(self.context))


@view_config(context=Unit, name="@remove-owner", request_method="POST", permission=EDIT_REGISTER)
def remove_owner(context, request):
    index = index_in(request.POST.get("i", ""), len(context.owners))
    if index is None:                       # never "-1, the last one"
        return HTTPFound(request.resource_url(context))
    owners = list(context.owners)
    owners.pop(index)
    context.owners = tuple(owners)
    changed(request, context, "register.owner_remove", owner=index + 1)
    return HTTPFound(request.resource_url(context))
