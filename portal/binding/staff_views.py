"""Street staff: issue a binding code letter for an owner, and unbind an account with a reason."""
from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body
from portal.binding import codes, service
from portal.binding.schemas import StaffUnbindSchema
from portal.forms import FormPage
from portal.i18n import _
from portal.register.models import ISSUE_CODE, UNBIND_OWNER, Unit
from portal.request import index_in


def owner_at(request, unit, index_text):
    index = index_in(index_text, len(unit.owners))
    if index is None or not unit.owners[index].id_hash:
        return None, None
    return index, unit.owners[index]


def issue(request, unit, owner):
    register = unit.__parent__
    code = codes.issue_letter(register, unit, owner, request.registry.personal_data, clock.now(),
                              request.identity.uid)
    request.audit("binding.code_issue", unit, account=request.identity.uid)
    return code, register.codes[codes.code_hash(request.registry.personal_data, code)]["expires"]


@view_config(context=Unit, name="@binding-code", json=False, request_method="POST", permission=ISSUE_CODE)
def binding_code_page(context, request):
    """Issue the code and show the printable letter, once."""
    index, owner = owner_at(request, context, request.POST.get("i"))
    if owner is None:
        return HTTPFound(request.resource_url(context))
    code, expires = issue(request, context, owner)
    from portal import letters

    community = context.__parent__.__parent__
    bind_url = letters.public_url(request, community, "@bind")
    office, address, phone = letters.issuer(community)
    response = render_to_response("portal.templates:letter.pt", {
        "code": code, "expires": clock.local(expires).strftime("%Y-%m-%d"), "community": community,
        "unit": context, "name": request.registry.personal_data.decrypt(owner.name_enc),
        "bind_url": bind_url, "qr": letters.qr_svg(bind_url), "title": _("Binding code letter"),
        "office": office, "office_address": address, "office_phone": phone,
        "issued": letters.today_text(clock.now(), request.locale_name == "zh_Hans"),
    }, request=request)
    response.headers["Cache-Control"] = "no-store"
    return response


@view_config(context=Unit, name="@binding-code", json=True, request_method="POST", permission=ISSUE_CODE,
             renderer="json")
def binding_code_api(context, request):
    body = require_body(request)
    index, owner = owner_at(request, context, body.get("owner"))
    if owner is None:
        raise json_error(request, 400, "invalid", _("Name an owner of this unit by number (0 is the first)."))
    code, expires = issue(request, context, owner)
    return {"code": code, "expires": expires.isoformat()}


@view_config(context=Unit, name="@unbind", json=False, permission=UNBIND_OWNER)
class StaffUnbindPage(FormPage):
    schema = StaffUnbindSchema
    title = _("Unbind the owner's account")
    buttons = (("unbind", _("Yes, unbind the account")),)
    template = "portal.templates:unbind_staff.pt"
    consequences = (_("The owner's account will no longer be bound to this community: it cannot vote here."),
                    _("Votes already cast stay recorded as they are; the reason is kept in the audit log."),
                    _("To bind again the owner needs a new binding code letter from the street office."))

    def make_form(self):
        form = super().make_form()
        form.buttons[0].css_class = "btn-danger"        # destructive, unlike a primary button
        return form

    def page_values(self):
        return {"consequences": self.consequences}

    def action(self):
        return self.request.resource_url(self.context, "@unbind", query={"i": self.request.params.get("i")})

    def succeed(self, values):
        _index, owner = owner_at(self.request, self.context, self.request.params.get("i"))
        register = self.context.__parent__
        uid = service.bound_uid(register, owner.id_hash) if owner else None
        if uid is not None:
            account = self.request.portal.accounts.get(uid)
            service.unbind(register.__parent__, account, clock.now(), id_hash=owner.id_hash)
            self.request.audit("binding.unbind", self.context, by="staff", reason=values["reason"],
                               account=uid)
        return HTTPFound(self.request.resource_url(self.context))
