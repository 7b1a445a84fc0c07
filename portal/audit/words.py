"""The audit log in words: one sentence per action id ("石牌街道办事处 公示初步结果：2026年第一次…"),
naming the actor by the office or role they act for, never by a person's name or login.

``SENTENCES`` holds the sentence of every action id the code audits (tests/test_audit_words.py
finds them in the source); ``TITLES`` the short name the filter offers.  Each sentence takes
``${actor}`` and ``${object}`` and, where the action has them, a few non-personal details.
"""
from portal.i18n import _

SENTENCES = {
    "account.login": _("${actor} signed in"),
    "account.login_failed": _("Someone failed to sign in"),
    "account.logout": _("${actor} signed out"),
    "account.password": _("${actor} changed their password"),
    "account.password_reset": _("${actor} reset their password by an SMS code"),
    "account.create": _("${actor} created an account for ${account}"),
    "account.signup": _("${actor} signed up as an owner"),
    "content.create": _("${actor} created ${object}"),
    "content.edit": _("${actor} edited ${object}"),
    "sharing.grant": _("${actor} made ${account} ${role} of ${object}"),
    "sharing.revoke": _("${actor} took the role ${role} of ${object} from ${account}"),
    "register.id_key_rotated": _("${actor} re-encrypted the personal data under a new ID key"),
    "register.import": _("${actor} imported the register of ${object} (${added} added, ${changed} changed, ${removed} removed)"),
    "register.export_full": _("${actor} exported the full register of ${object}"),
    "register.unit_add": _("${actor} added the unit ${object}"),
    "register.unit_edit": _("${actor} corrected the unit ${object}"),
    "register.unit_remove": _("${actor} removed a unit from ${object}"),
    "register.owner_add": _("${actor} added an owner to the unit ${object}"),
    "register.owner_edit": _("${actor} corrected an owner of the unit ${object}"),
    "register.owner_remove": _("${actor} removed an owner from the unit ${object}"),
    "binding.consent": _("${actor} consented to face verification for ${object}"),
    "binding.refused": _("${actor} was refused face verification for ${object}"),
    "binding.bind": _("${actor} bound their account to the register of ${object}"),
    "binding.failed": _("A binding attempt in ${object} failed"),
    "binding.unbind": _("${actor} unbound an owner's account in ${object}"),
    "binding.code_issue": _("${actor} issued a binding code letter for the unit ${object}"),
    "binding.unbind_request": _("${actor} asked the street office to unbind another account in ${object}"),
    "binding.unbind_request_declined": _("${actor} declined an owner's request to unbind an account, unit ${object}"),
    "ballot.create": _("${actor} drafted ${object}"),
    "ballot.edit": _("${actor} edited the draft ${object}"),
    "ballot.transition": _("${actor} ${transition}: ${object}"),
    "document.transition": _("${actor} ${transition}: ${object}"),
    "ballot.extension_request": _("${actor} asked to extend ${object} to ${end_date}"),
    "ballot.extension_approve": _("${actor} approved extending ${object} to ${end_date}"),
    "ballot.candidate_file": _("${actor} attached a candidate's file to ${object}"),
    "ballot.candidate_check": _("${actor} checked a candidate's eligibility in ${object}"),
    "ballot.unit_sold": _("${actor} recorded that the unit ${unit} changed hands during ${object}"),
    "wechat.signin": _("${actor} signed in through WeChat"),
    "wechat.link": _("${actor} linked a WeChat account"),
    "delivery.rooms": _("${actor} read the rooms not reached for ${object} (${count} rooms)"),
    "notify.remind": _("${actor} sent a reminder for ${object} (${count} messages)"),
    "notify.reminders": _("${actor} changed their reminder setting"),
    "rooms.release": _("${actor} released the list of ${list} of ${object}"),
    "rooms.view": _("${actor} read the list of ${list} of ${object} (${count} rooms)"),
    "rooms.export": _("${actor} downloaded the list of ${list} of ${object} (${count} rooms)"),
    "paper.enter": _("${actor} entered paper ballot ${paper} for ${object}"),
    "paper.review": _("${actor} reviewed paper ballot ${paper} of ${object}: ${state}"),
    "paper.second_entry": _("${actor} entered paper ballot ${paper} of ${object} a second time: ${state}"),
    "paper.resolve": _("${actor} resolved the mismatch of paper ballot ${paper} of ${object}: ${state}"),
    "paper.correct": _("${actor} corrected paper ballot ${paper} of ${object} after objection ${objection}: ${state}"),
    "paper.count": _("${actor} recorded the paper count of ${object}"),
    "objection.file": _("${actor} filed objection ${number} against ${object}"),
    "objection.answer": _("${actor} answered objection ${number} against ${object}"),
    "objection.decide": _("${actor} decided objection ${number} against ${object}"),
    "portal.clock": _("${actor} set the portal's demo time"),
    "workflow.edit": _("${actor} edited the workflow (${moved} objects moved)"),
    "workflow.reset": _("${actor} reset the workflow to its file (${moved} objects moved)"),
    "document.create": _("${actor} filed ${object}"),
    "document.version": _("${actor} filed a new version of ${object}"),
}

# actions no longer audited whose entries older logs still hold (kept so those read in words too):
# resetting a workflow to its file now goes through the editor's preview and is a "workflow.edit"
RETIRED = frozenset({"workflow.reset"})

TITLES = {
    "account.login": _("Signed in"),
    "account.login_failed": _("Failed sign-in"),
    "account.logout": _("Signed out"),
    "account.password": _("Changed password"),
    "account.password_reset": _("Reset password"),
    "account.create": _("Created an account"),
    "account.signup": _("Owner signed up"),
    "content.create": _("Created"),
    "content.edit": _("Edited"),
    "sharing.grant": _("Granted a role"),
    "sharing.revoke": _("Revoked a role"),
    "register.id_key_rotated": _("Re-encrypted personal data under a new ID key"),
    "register.import": _("Register imported"),
    "register.export_full": _("Full register exported"),
    "register.unit_add": _("Unit added"),
    "register.unit_edit": _("Unit corrected"),
    "register.unit_remove": _("Unit removed"),
    "register.owner_add": _("Owner added"),
    "register.owner_edit": _("Owner corrected"),
    "register.owner_remove": _("Owner removed"),
    "binding.consent": _("Face verification consent"),
    "binding.refused": _("Face verification refused"),
    "binding.bind": _("Account bound"),
    "binding.failed": _("Binding failed"),
    "binding.unbind": _("Account unbound"),
    "binding.code_issue": _("Code letter issued"),
    "binding.unbind_request": _("Unbinding requested"),
    "binding.unbind_request_declined": _("Unbinding request declined"),
    "ballot.create": _("Ballot drafted"),
    "ballot.edit": _("Ballot edited"),
    "ballot.transition": _("Ballot moved on"),
    "document.transition": _("Document moved on"),
    "ballot.extension_request": _("Extension requested"),
    "ballot.extension_approve": _("Extension approved"),
    "ballot.candidate_file": _("Candidate file attached"),
    "ballot.candidate_check": _("Candidate checked"),
    "ballot.unit_sold": _("Unit changed hands"),
    "wechat.signin": _("WeChat sign-in"),
    "wechat.link": _("WeChat linked"),
    "delivery.rooms": _("Rooms not reached read"),
    "notify.remind": _("Reminder sent"),
    "notify.reminders": _("Reminder setting changed"),
    "rooms.release": _("Room list released"),
    "rooms.view": _("Room list read"),
    "rooms.export": _("Room list downloaded"),
    "paper.enter": _("Paper ballot entered"),
    "paper.review": _("Paper ballot reviewed"),
    "paper.second_entry": _("Paper ballot entered a second time"),
    "paper.resolve": _("Paper ballot mismatch resolved"),
    "paper.correct": _("Paper ballot corrected after an objection"),
    "paper.count": _("Paper count recorded"),
    "objection.file": _("Objection filed"),
    "objection.answer": _("Objection answered"),
    "objection.decide": _("Objection decided"),
    "portal.clock": _("Demo time set"),
    "workflow.edit": _("Workflow edited"),
    "workflow.reset": _("Workflow reset"),
    "document.create": _("Document filed"),
    "document.version": _("New document version"),
}

UNKNOWN = _("${actor}: ${action} on ${object}")      # an action id from a later release, read by an older one

# The actor, by the office or role they act for.
SYSTEM = _("The portal")
OWNER = _("An owner")
AN_ACCOUNT = _("An account")
CITY = _("The city housing authority")
DISTRICT_OFFICE = _("${node} housing department")
STREET_OFFICE = _("${node} office")
TOWN_OFFICE = _("${node} people's government")
ORGANIZER = _("${node} organizer")
STAFF_WITHOUT_ROLE = _("A staff member")

LIST_WORDS = {"unbound": _("rooms whose owners have not bound"), "unvoted": _("rooms that have not voted")}
STATE_WORDS = {"approved": _("approved"), "rejected": _("rejected"), "flagged": _("not counted"),
               "pending": _("waiting for review")}


def office(kind, node_type, node_title="", street_kind=""):
    """The message naming an actor: ``kind`` is 'system', 'owner', 'staff' or None (gone);
    ``node_type`` the kind of node of their highest role (None: no role)."""
    if kind == "system":
        return SYSTEM
    if kind is None:
        return AN_ACCOUNT
    if kind == "owner":
        return OWNER
    if node_type == "Portal":
        return CITY
    if node_type == "District":
        return _(DISTRICT_OFFICE, mapping={"node": node_title})
    if node_type == "Street":
        message = TOWN_OFFICE if street_kind == "town" else STREET_OFFICE
        return _(message, mapping={"node": node_title})
    if node_type == "Community":
        return _(ORGANIZER, mapping={"node": node_title})
    return STAFF_WITHOUT_ROLE


def sentence(action, mapping):
    """The message of one entry; ``mapping`` holds actor, object and the details, in words."""
    message = SENTENCES.get(action)
    if message is None:
        return _(UNKNOWN, mapping=dict(mapping, action=action))
    return _(message, mapping=mapping)
