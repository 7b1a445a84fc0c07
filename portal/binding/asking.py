"""Asking the street office to unbind another account, from the binding form or after face
verification, and what became of the request, in the owner's words."""
from portal import clock
from portal.binding import service, unbind_requests
from portal.i18n import _


def ask_to_unbind(request, community, id_hash, method):
    """File the request (the identity was proved just now); service.Refused if there is nothing
    to ask."""
    try:
        record = unbind_requests.file(community["register"], id_hash, request.identity.uid, method, clock.now())
    except unbind_requests.RequestRefused as refused:
        raise service.Refused(refused.message) from None
    request.audit("binding.unbind_request", community, method=method, account=request.identity.uid)
    return record


REQUEST_STATES = {
    unbind_requests.PENDING: _("On ${when} you asked the street office to unbind the account that holds this "
                               "owner's identity. The street office checks the request and then unbinds it."),
    unbind_requests.UNBOUND: _("The street office unbound the other account on ${when}: you can bind now, "
                               "with the same code letter."),
    unbind_requests.DECLINED: _("The street office did not unbind the other account (${when}). Bring your ID "
                                "card and property certificate to the street office."),
}


def request_status(request, community):
    """(what became of the caller's request to unbind another account here, in words, or None;
    whether it still waits: the binding form is then not offered again)."""
    account = request.identity
    record = unbind_requests.of_account(community["register"], account.uid) if account is not None else None
    if record is None:
        return None, False
    when = record["decided"] or record["when"]
    words = _(REQUEST_STATES[record["state"]], mapping={"when": clock.local(when).strftime("%Y-%m-%d %H:%M")})
    return words, record["state"] == unbind_requests.PENDING
