"""The WeChat official account, through wechatpy: the API client (access token fetched, cached
and refreshed on 40001/42001 by wechatpy itself), template messages, OAuth 2.0 ``snsapi_base``
code exchange, and the server messages' signature check and follow / unfollow events.

Settings: ``portal.wechat_app_id``; the app secret in ``PORTAL_WECHAT_SECRET`` /
``portal.wechat_secret`` / ``portal.wechat_secret_file``; the server-message token in
``PORTAL_WECHAT_TOKEN`` / ``portal.wechat_token`` / ``portal.wechat_token_file``; one
``portal.wechat_template.<event>`` per event (``notice``, ``voting``, ``extension``, ``deadline``,
``preliminary``, ``final``, ``custom``); ``portal.wechat_api_url`` and ``portal.wechat_oauth_url``
(default: the public endpoints; development points them at ``portal/standins/wechat.py``).
"""
from wechatpy import WeChatClient, parse_message
from wechatpy.exceptions import InvalidSignatureException, WeChatClientException, WeChatOAuthException
from wechatpy.oauth import WeChatOAuth
from wechatpy.utils import check_signature

from portal.settings import read_optional_secrets

API_URL = "https://api.weixin.qq.com/"
OAUTH_URL = "https://open.weixin.qq.com/connect/"
TIMEOUT = 10


class Client(WeChatClient):
    """wechatpy's client on a configurable endpoint (the real one, or the stand-in)."""

    def __init__(self, app_id, secret, api_url=API_URL, http=None):
        super().__init__(app_id, secret, timeout=TIMEOUT)
        self.api_url = api_url
        self.API_BASE_URL = api_url + "cgi-bin/"
        if http is not None:
            self._http = http

    def fetch_access_token(self):
        return self._fetch_access_token(url=self.API_BASE_URL + "token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


class WeChat:
    """The portal's official account: what the settings say, and the clients built on them."""

    def __init__(self, app_id, secret, token, templates, api_url=API_URL, oauth_url=OAUTH_URL, http=None):
        self.app_id, self.secret, self.token = app_id, secret, token
        self.templates = dict(templates)
        self.api_url, self.oauth_url = api_url, oauth_url
        self.http = http
        self.client = Client(app_id, secret, api_url, http)

    def use_http(self, http):
        """Send through another ``requests`` session (the tests mount the stand-in on one)."""
        self.http = http
        self.client._http = http

    def send_template(self, openid, event, url, data, client_msg_id):
        """(True, msgid) when WeChat accepts it, else (False, errcode).  ``client_msg_id``
        makes a repeat of the same attempt a no-op at WeChat (its anti-reentry id)."""
        template = self.templates.get(event)
        if not template:
            return False, "no-template"
        body = {"touser": openid, "template_id": template, "url": url, "data": data,
                "client_msg_id": client_msg_id}
        try:
            answer = self.client.post("message/template/send", data=body)
        except WeChatClientException as exc:     # its text may hold the request: keep the code only
            return False, exc.errcode if exc.errcode is not None else "no answer"
        except OSError:
            return False, "no answer"
        return True, str(answer.get("msgid", ""))

    def oauth(self, redirect_uri, state):
        oauth = WeChatOAuth(self.app_id, self.secret, redirect_uri, scope="snsapi_base", state=state)
        oauth.OAUTH_BASE_URL = self.oauth_url
        oauth.API_BASE_URL = self.api_url
        if self.http is not None:
            oauth._http = self.http
        return oauth

    def openid_for(self, code, redirect_uri):
        """The openid behind an authorisation ``code`` (server to server), or None."""
        try:
            return self.oauth(redirect_uri, "").fetch_access_token(code)["openid"]
        except (WeChatOAuthException, OSError, KeyError, ValueError):
            return None

    def signature_ok(self, signature, timestamp, nonce):
        try:
            check_signature(self.token, signature or "", timestamp or "", nonce or "")
        except InvalidSignatureException:
            return False
        return True

    @staticmethod
    def follow_event(body):
        """("subscribe" | "unsubscribe", openid) from a server message, or None."""
        try:
            message = parse_message(body)
        except Exception:       # noqa: BLE001 - anything unreadable is simply not an event
            return None
        if getattr(message, "type", "") != "event" or message.event not in ("subscribe", "unsubscribe"):
            return None
        return message.event, message.source


def make_wechat(settings):
    """The official account of these settings, or None when WeChat is not configured."""
    app_id = settings.get("portal.wechat_app_id", "")
    secrets = read_optional_secrets(settings, "wechat_secret", "PORTAL_WECHAT_SECRET")
    tokens = read_optional_secrets(settings, "wechat_token", "PORTAL_WECHAT_TOKEN")
    if not (app_id and secrets):
        return None
    templates = {name[len("portal.wechat_template."):]: value for name, value in settings.items()
                 if name.startswith("portal.wechat_template.")}
    return WeChat(app_id, secrets[0].decode("utf-8"), tokens[0].decode("utf-8") if tokens else "",
                  templates, settings.get("portal.wechat_api_url", API_URL),
                  settings.get("portal.wechat_oauth_url", OAUTH_URL))
