"""Staff read the audit log of their part of the tree, in words (page, JSON and CSV): each entry
a sentence in the reader's language naming the actor by their office, filterable by action and
date, the raw fields still there (a details toggle on the page, every field in JSON and CSV)."""
import datetime

import colander
from pyramid.response import Response
from pyramid.view import view_config

from portal import clock
from portal.api.errors import invalid_errors, json_error
from portal.audit import words
from portal.catalog.indexing import resolve
from portal.content.models import Node
from portal.desks.landing import staff_nodes
from portal.i18n import _
from portal.register.table import write_csv
from portal.schematypes import Date
from portal.security.accounts import STAFF
from portal.security.roles import ADMIN, TITLES as ROLE_TITLES

LIMIT = 200                 # entries shown
RANK = {"District": 0, "Street": 1, "Community": 2}


def check_dates(node, values):
    if values["since"] and values["until"] and values["since"] > values["until"]:
        raise colander.Invalid(node["until"], _("The end date is before the start date."))


class AuditFilterSchema(colander.MappingSchema):
    """The page's filter form and the JSON and CSV query alike."""
    action = colander.SchemaNode(colander.String(), missing="", title=_("Action"),
                                 validator=colander.OneOf([""] + list(words.SENTENCES)))
    since = colander.SchemaNode(Date(), missing=None, title=_("From"))
    until = colander.SchemaNode(Date(), missing=None, title=_("Up to"))


def actor_label(accounts, uid):
    """A staff account by its login; anyone else by an opaque reference only (the raw field)."""
    if not uid:
        return "-"
    account = accounts.get(uid)
    if account is not None and account.kind == STAFF:
        return account.login
    return "#" + uid[:8]


class Offices:
    """The office each actor acts for, looked up once per account per request."""

    def __init__(self, request):
        self.request = request
        self.portal = request.portal
        self.found = {}

    def __call__(self, uid):
        if uid not in self.found:
            self.found[uid] = self.request.localizer.translate(self.message(uid))
        return self.found[uid]

    def message(self, uid):
        if not uid:
            return words.office("system", None)
        account = self.portal.accounts.get(uid)
        if account is None or account.kind != STAFF:
            return words.office(None if account is None else "owner", None)
        if ADMIN in getattr(self.portal, "local_roles", {}).get(uid, ()):
            return words.office("staff", "Portal")
        nodes = sorted(staff_nodes(self.portal, uid), key=lambda n: RANK.get(n.type_name, 9))
        if not nodes:
            return words.office("staff", None)
        node = nodes[0]
        return words.office("staff", node.type_name, node.title, getattr(node, "kind", ""))


def local_midnight(day):
    return datetime.datetime.combine(day, datetime.time(0), clock.SHANGHAI)


def chosen(request, context, values):
    """The newest entries at or below ``context`` that match the filter, at most LIMIT, found
    through the log's indexes (by subtree and action, and by time), however old they are."""
    since = local_midnight(values["since"]) if values["since"] else None
    until = local_midnight(values["until"] + datetime.timedelta(days=1)) if values["until"] else None
    return request.portal.audit_log.find(request.resource_path(context), limit=LIMIT,
                                         action=values["action"] or None, since=since, until=until)


class Words:
    """Everything an entry's sentence names, in the reader's language."""

    def __init__(self, request):
        self.request = request
        self.translate = request.localizer.translate
        self.offices = Offices(request)
        self.titles = {}

    def title_of(self, path):
        if path not in self.titles:
            obj = resolve(self.request.portal, path)
            title = getattr(obj, "title", None) if obj is not None else None
            self.titles[path] = self.translate(title) if title else path
        return self.titles[path]

    def transition(self, path, transition_id):
        obj = resolve(self.request.portal, path)
        try:
            titles = obj.definition()["transitions"][transition_id]["title"]
        except (AttributeError, KeyError, TypeError):
            return transition_id
        return titles.get("zh" if self.request.locale_name == "zh_Hans" else "en", transition_id)

    def __call__(self, entry):
        detail = entry["detail"]
        mapping = dict(detail, actor=self.offices(entry["actor"]), object=self.title_of(entry["path"]))
        if "account" in detail:
            mapping["account"] = self.offices(detail["account"])
        if "role" in detail and detail["role"] in ROLE_TITLES:
            mapping["role"] = self.translate(ROLE_TITLES[detail["role"]])
        if "transition" in detail:
            mapping["transition"] = self.transition(entry["path"], detail["transition"])
        if detail.get("list") in words.LIST_WORDS:
            mapping["list"] = self.translate(words.LIST_WORDS[detail["list"]])
        if detail.get("state") in words.STATE_WORDS:
            mapping["state"] = self.translate(words.STATE_WORDS[detail["state"]])
        return self.translate(words.sentence(entry["action"], mapping))


def described(request, entries):
    """The entries as the page, JSON and CSV give them: the sentence and the raw fields."""
    accounts = request.portal.accounts
    say = Words(request)
    rows = []
    for entry in entries:
        detail = dict(entry["detail"])
        if "account" in detail:
            detail["account"] = actor_label(accounts, detail["account"])
        rows.append(dict(entry, actor=actor_label(accounts, entry["actor"]), detail=detail, sentence=say(entry),
                         when_local=clock.local(datetime.datetime.fromisoformat(entry["when"])).strftime("%Y-%m-%d %H:%M")))
    return rows


def read_filter(request):
    """(values, errors): the filter from the query string; bad values are named, not applied."""
    params = {k: request.params.get(k) for k in ("action", "since", "until") if request.params.get(k)}
    try:
        return AuditFilterSchema(validator=check_dates).deserialize(params), {}
    except colander.Invalid as invalid:
        return {"action": "", "since": None, "until": None}, invalid_errors(request, invalid)


def action_choices(request):
    translate = request.localizer.translate
    return sorted(((action, translate(title)) for action, title in words.TITLES.items()), key=lambda c: c[1])


@view_config(context=Node, name="@audit", json=False, permission="view_audit",
             renderer="portal.templates:audit.pt")
def audit_page(context, request):
    values, errors = read_filter(request)
    entries = chosen(request, context, values)
    if errors:
        request.response.status_int = 400
    return {"rows": described(request, entries), "limit": LIMIT,
            "errors": errors, "typed": {k: request.params.get(k, "") for k in ("action", "since", "until")},
            "choices": action_choices(request), "csv_url": request.resource_url(
                context, "@audit.csv", query={k: v for k, v in request.params.items() if k in ("action", "since", "until")})}


@view_config(context=Node, name="@audit", json=True, request_method="GET",
             permission="view_audit", renderer="json")
def audit_json(context, request):
    values, errors = read_filter(request)
    if errors:
        raise json_error(request, 400, "invalid", _("Some fields are not valid."), errors)
    entries = chosen(request, context, values)
    return {"items": [{k: row[k] for k in ("seq", "when", "actor", "action", "path", "detail", "prev", "hash", "sentence")}
                      for row in described(request, entries)]}



@view_config(context=Node, name="@audit.csv", request_method="GET", permission="view_audit")
def audit_csv(context, request):
    values, errors = read_filter(request)
    if errors:
        return Response("; ".join(f"{k}: {v}" for k, v in errors.items()), status=400, content_type="text/plain",
                        charset="utf-8")
    entries = chosen(request, context, values)
    translate = request.localizer.translate
    header = [translate(t) for t in (_("No."), _("When"), _("What happened"), _("Action"), _("Who"), _("Where"),
                                     _("Details"), _("Hash"))]
    rows = [[row["seq"], row["when_local"], row["sentence"], row["action"], row["actor"], row["path"],
             ", ".join(f"{k}={v}" for k, v in sorted(row["detail"].items())), row["hash"]]
            for row in described(request, entries)]
    return Response(body=write_csv(header, rows), content_type="text/csv", charset="utf-8",
                    content_disposition='attachment; filename="audit.csv"')
