"""What every page template gets: ``ui`` with breadcrumbs, the signed-in account, the
language switch, the actions the user may take here, and ``t()`` to translate."""
from urllib.parse import urlencode

from pyramid.events import BeforeRender, subscriber
from pyramid.location import lineage

from portal import clock
from portal.i18n import LOCALES, _

ELDERLY_COOKIE = "_ELDERLY_"       # 长辈模式: larger type and controls, fewer links; "1" when on


class UI:
    def __init__(self, request, context):
        self.request = request
        self.context = context

    def t(self, message, **mapping):
        return self.request.localizer.translate(message, mapping=mapping or None)

    @property
    def colon(self):
        """The colon between a label and its value: full width in Chinese (待办事项：石牌街道)."""
        return "：" if self.locale == "zh_Hans" else ": "

    @property
    def locale(self):
        return self.request.locale_name

    @property
    def html_lang(self):
        return "zh-Hans" if self.locale == "zh_Hans" else self.locale

    def language_links(self):
        here = self.request.path_qs
        return [
            {
                "code": code,
                "title": title,
                "current": code == self.locale,
                "url": self.request.application_url + "/@language?"
                + urlencode({"set": code, "came_from": here}),
            }
            for code, title in LOCALES.items()
        ]

    @property
    def elderly(self):
        """Elderly mode (长辈模式), remembered in a cookie like the language."""
        try:
            return self.request.cookies.get(ELDERLY_COOKIE) == "1"
        except ValueError:          # an undecodable cookie header: the standard mode
            return False

    @property
    def elderly_url(self):
        return self.request.application_url + "/@elderly?" + urlencode(
            {"set": "off" if self.elderly else "on", "came_from": self.request.path_qs})

    @property
    def login_url(self):
        return self.request.application_url + "/@login?" + urlencode({"came_from": self.request.path_qs})

    @property
    def account(self):
        return self.request.identity

    def breadcrumbs(self):
        context = self.context if hasattr(self.context, "__parent__") else self.request.root
        nodes = list(reversed(list(lineage(context))))
        return [{"title": node.title, "url": self.request.resource_url(node)} for node in nodes]

    def actions(self):
        """(title, url) of the actions on this node that the user may take."""
        context, request = self.context, self.request
        if not getattr(context, "type_name", None):
            return []
        found = []
        child = getattr(context, "child_type", None)
        if child is not None and request.has_permission("add", context):
            found.append((self.t(_("Add ${type}", mapping={"type": self.t(child.type_title)})),
                          request.resource_url(context, "@add")))
        register = context.get("register") if hasattr(context, "get") else None
        ballots = context.get("ballots") if hasattr(context, "get") else None
        documents = context.get("documents") if hasattr(context, "get") else None
        candidates = [
            (context, "@edit", "edit", _("Edit")),
            (ballots, "", "view", _("Ballots")),
            (documents, "", "view", _("Filed documents")),
            (register, "", "view_register", _("Owner register")),
            (context, "@notices", "view", _("Notices")),
            (context, "@sharing", "manage_sharing", _("Sharing")),
            (context, "@worklist", "view_worklist", _("Worklist")),
            (context, "@audit", "view_audit", _("Audit log")),
            (context, "@accounts", "manage_accounts", _("Accounts")),
            (context, "@statistics", "view", _("Statistics")),
            (context, "@search", "view", _("Search")),
        ]
        for target, name, permission, title in candidates:
            if target is not None and request.has_permission(permission, target):
                found.append((self.t(title), request.resource_url(target, name)))
        return found

    def local_time(self, value):
        return clock.local(value).strftime("%Y-%m-%d %H:%M")

    def window(self, ballot):
        """The ballot's voting window as people say it (ballots.rules.window_text)."""
        from portal.ballots.rules import window_text

        return window_text(ballot.start_date, ballot.end_date, chinese=self.locale == "zh_Hans")


@subscriber(BeforeRender)
def add_ui(event):
    request = event.get("request")
    if request is not None and "ui" not in event:
        event["ui"] = UI(request, event.get("context") or getattr(request, "context", None))
