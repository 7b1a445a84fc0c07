"""Street staff: issue a binding code letter for an owner, and unbind an account with a reason."""
from pyramid.httpexceptions import HTTPFound
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import json_error, require_body
from portal.binding import codes, service, unbind_requests
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
    """Unbind an owner's account with a reason; when the owner asked for it from another account
    (``unbind_requests``), the page says so, and the request may be declined instead."""
    schema = StaffUnbindSchema
    title = _("Unbind the owner's account")
    buttons = (("unbind", _("Yes, unbind the account")),)
    template = "portal.templates:unbind_staff.pt"
    consequences = (_("The owner's account will no longer be bound to this community: it cannot vote here."),
                    _("Votes already cast stay recorded as they are; the reason is kept in the audit log."),
                    _("To bind again the owner needs a new binding code letter from the street office."))
    METHODS = {"code": _("with a binding code letter"), "face": _("by face verification")}

    def owner(self):
        return owner_at(self.request, self.context, self.request.params.get("i"))[1]

    def waiting(self):
        owner = self.owner()
        return unbind_requests.waiting_for(self.context.__parent__, owner.id_hash) if owner else None

    def make_form(self):
        form = super().make_form()
        form.buttons[0].css_class = "btn-danger"        # destructive, unlike a primary button
        return form

    def appstruct(self):
        return {"reason": "owner_request"} if self.waiting() is not None else {}

    def page_values(self):
        waiting = self.waiting()
        asked = None
        if waiting is not None:
            asked = _("On ${when} the owner proved this identity ${method} from another account, and asks "
                      "you to unbind the account it is bound to (check with the owner first, for example "
                      "by the phone number in the register).", mapping={
                          "when": clock.local(waiting["when"]).strftime("%Y-%m-%d %H:%M"),
                          "method": self.request.localizer.translate(self.METHODS.get(waiting["method"], ""))})
        decline = (self.request.resource_url(self.context, "@unbind-decline", query={"i": self.request.params.get("i")})
                   if waiting is not None else None)
        return {"consequences": self.consequences, "asked": asked, "decline": decline}

    def action(self):
        return self.request.resource_url(self.context, "@unbind", query={"i": self.request.params.get("i")})

    def succeed(self, values):
        owner = self.owner()
        register = self.context.__parent__
        uid = service.bound_uid(register, owner.id_hash) if owner else None
        if uid is not None:
            account = self.request.portal.accounts.get(uid)
            service.unbind(register.__parent__, account, clock.now(), id_hash=owner.id_hash)
            self.request.audit("binding.unbind", self.context, by="staff", reason=values["reason"],
                               account=uid)
        return HTTPFound(self.request.resource_url(self.context))


DECLINE_COSTS = (_("The other account stays bound; the owner who asked is told on the community's binding page "
                   "that the street office did not unbind it, and to come to the office with their documents."),)


@view_config(context=Unit, name="@unbind-decline", request_method="GET", json=False, permission=UNBIND_OWNER)
def decline_confirm(context, request):
    from portal.confirm import confirm_page

    back = request.resource_url(context, "@unbind", query={"i": request.params.get("i")})
    return confirm_page(request, _("Decline the owner's request"), DECLINE_COSTS,
                        request.resource_url(context, "@unbind-decline", query={"i": request.params.get("i")}),
                        _("Decline the owner's request"), back, danger=False)


@view_config(context=Unit, name="@unbind-decline", request_method="POST", permission=UNBIND_OWNER)
def decline(context, request):
    """The request is closed without unbinding (the owner sees it declined)."""
    _index, owner = owner_at(request, context, request.params.get("i"))
    if owner is not None and unbind_requests.decide(context.__parent__, owner.id_hash, unbind_requests.DECLINED,
                                                    clock.now()):
        request.audit("binding.unbind_request_declined", context)
    if request.wants_json:
        return render_to_response("json", {"declined": owner is not None}, request=request)
    return HTTPFound(request.resource_url(context))
