"""A stand-in for the WeChat official account platform, speaking its documented protocol.

A WSGI application (WebOb only, nothing of the portal), mounted at ``/wechat-double/`` by
``portal.wechat_double = true`` in development and driven by the tests:

- ``GET  cgi-bin/token?grant_type=client_credential&appid=&secret=``: an access token (7200 s),
  or 40013 (app id) / 40125 (secret);
- ``POST cgi-bin/message/template/send?access_token=``: 40001 for an unknown token, 42001 for an
  expired one, 40003 for an unknown openid, 43004 when the user does not follow the account,
  40037 for an unknown template; a repeat of one ``client_msg_id`` for one openid is accepted
  again with the first msgid and not delivered twice (WeChat's anti-reentry id);
- ``GET  connect/oauth2/authorize?appid=&redirect_uri=&response_type=code&scope=snsapi_base&state=``:
  a page standing for the WeChat client (a person's WeChat name, "allow"), then back to the
  ``redirect_uri`` with ``code`` and ``state``;
- ``GET  sns/oauth2/access_token?appid=&secret=&code=&grant_type=authorization_code``: the openid
  (a code works once, for five minutes; 40029 otherwise);
- signed server messages (follow / unfollow events, XML, ``signature`` = SHA-1 of the sorted
  token, timestamp and nonce) built by ``event_push`` or pushed to the portal by ``push``.

``_control/`` (not WeChat's) lets tests and benchmarks in other processes set followers, expire
tokens and read what was delivered.
"""
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.request
from urllib.parse import urlencode

from webob import Request, Response

TOKEN_SECONDS = 7200
CODE_SECONDS = 300


def openid_of(app_id, name):
    """The openid WeChat would give the person ``name`` for this official account."""
    return "o" + hashlib.sha1(f"{app_id}:{name}".encode("utf-8")).hexdigest()[:27]


def sign(token, timestamp, nonce):
    return hashlib.sha1("".join(sorted([token, str(timestamp), str(nonce)])).encode("utf-8")).hexdigest()


class WeChatDouble:
    def __init__(self, app_id, secret, token, templates=(), now=time.time):
        self.app_id, self.secret, self.token = app_id, secret, token
        self.templates = set(templates)
        self.now = now
        self.tokens = {}            # access token -> expires at
        self.codes = {}             # code -> (openid, expires at)
        self.followers = set()
        self.known = set()          # openids that ever met the account
        self.delivered = []         # {"touser", "template_id", "url", "data"} of each delivered message
        self.token_fetches = 0
        self._sent = {}             # (openid, client_msg_id) -> msgid
        self._next = 1000
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path_info.strip("/")
        route = {"cgi-bin/token": self.access_token, "cgi-bin/message/template/send": self.template_send,
                 "connect/oauth2/authorize": self.authorize, "connect/oauth2/allow": self.allow,
                 "sns/oauth2/access_token": self.code_exchange, "_control": self.control}.get(path)
        with self._lock:
            response = route(request) if route else Response("not found", status=404)
        return response(environ, start_response)

    def answer(self, **values):
        values.setdefault("errcode", 0)
        values.setdefault("errmsg", "ok")
        return Response(json.dumps(values, ensure_ascii=False).encode("utf-8"), content_type="application/json",
                        charset="utf-8")

    def access_token(self, request):
        if request.GET.get("appid") != self.app_id:
            return self.answer(errcode=40013, errmsg="invalid appid")
        if request.GET.get("secret") != self.secret or request.GET.get("grant_type") != "client_credential":
            return self.answer(errcode=40125, errmsg="invalid appsecret")
        self.token_fetches += 1
        token = secrets.token_urlsafe(32)
        self.tokens[token] = self.now() + TOKEN_SECONDS
        return Response(json.dumps({"access_token": token, "expires_in": TOKEN_SECONDS}).encode(),
                        content_type="application/json")

    def template_send(self, request):
        token = request.GET.get("access_token", "")
        if token not in self.tokens:
            return self.answer(errcode=40001, errmsg="invalid credential, access_token is invalid or not latest")
        if self.tokens[token] <= self.now():
            return self.answer(errcode=42001, errmsg="access_token expired")
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return self.answer(errcode=47001, errmsg="data format error")
        openid = body.get("touser", "")
        if openid not in self.known:
            return self.answer(errcode=40003, errmsg="invalid openid")
        if openid not in self.followers:
            return self.answer(errcode=43004, errmsg="require subscribe")
        if body.get("template_id") not in self.templates:
            return self.answer(errcode=40037, errmsg="invalid template_id")
        repeat = (openid, body.get("client_msg_id")) if body.get("client_msg_id") else None
        if repeat in self._sent:
            return self.answer(msgid=self._sent[repeat])
        self._next += 1
        if repeat:
            self._sent[repeat] = self._next
        self.delivered.append({k: body.get(k) for k in ("touser", "template_id", "url", "data", "client_msg_id")})
        return self.answer(msgid=self._next)

    def expire_tokens(self):
        """Every access token given so far expires now (the next send answers 42001)."""
        for token in self.tokens:
            self.tokens[token] = self.now()

    def follow(self, openid, following=True):
        self.known.add(openid)
        (self.followers.add if following else self.followers.discard)(openid)

    def authorize(self, request):
        query = request.GET
        if query.get("appid") != self.app_id or query.get("scope") not in ("snsapi_base", "snsapi_userinfo"):
            return Response("invalid appid or scope", status=400)
        keep = "".join(f'<input type="hidden" name="{n}" value="{html.escape(query.get(n, ""))}">'
                       for n in ("redirect_uri", "state"))
        page = ("<!DOCTYPE html><html lang='zh-Hans'><head><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                "<title>微信授权（测试替身）</title></head><body><h1>微信网页授权（测试替身）</h1>"
                "<form method='post' action='allow' id='wechat-allow'>" + keep +
                "<label>微信用户（测试名）<input name='name' value='demo'></label> "
                "<label><input type='checkbox' name='follow' value='1' checked> 已关注公众号</label> "
                "<button type='submit'>允许</button></form></body></html>")
        return Response(page, charset="utf-8")

    def allow(self, request):
        openid = openid_of(self.app_id, request.POST.get("name", "") or "demo")
        self.follow(openid, bool(request.POST.get("follow")) or openid in self.followers)
        code = secrets.token_urlsafe(16)
        self.codes[code] = (openid, self.now() + CODE_SECONDS)
        target = request.POST.get("redirect_uri", "")
        separator = "&" if "?" in target else "?"
        response = Response(status=302)
        response.location = target + separator + urlencode({"code": code, "state": request.POST.get("state", "")})
        return response

    def code_exchange(self, request):
        query = request.GET
        if query.get("appid") != self.app_id or query.get("secret") != self.secret:
            return self.answer(errcode=40125, errmsg="invalid appsecret")
        found = self.codes.pop(query.get("code", ""), None)
        if found is None or found[1] <= self.now() or query.get("grant_type") != "authorization_code":
            return self.answer(errcode=40029, errmsg="invalid code")
        return Response(json.dumps({"access_token": secrets.token_urlsafe(24), "expires_in": 7200,
                                    "refresh_token": secrets.token_urlsafe(24), "openid": found[0],
                                    "scope": "snsapi_base"}).encode(), content_type="application/json")

    def event_push(self, openid, event, timestamp=None, nonce=None):
        """(query, XML body) of a signed server message: ``event`` is subscribe or unsubscribe."""
        timestamp = str(int(timestamp or self.now()))
        nonce = nonce or secrets.token_hex(6)
        body = (f"<xml><ToUserName><![CDATA[gh_standin]]></ToUserName><FromUserName><![CDATA[{openid}]]>"
                f"</FromUserName><CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                f"<Event><![CDATA[{event}]]></Event></xml>")
        return {"signature": sign(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}, body

    def push(self, url, openid, event):
        """Send a signed follow / unfollow event to the portal's server URL; its HTTP status."""
        self.follow(openid, event == "subscribe")
        query, body = self.event_push(openid, event)
        request = urllib.request.Request(url + "?" + urlencode(query), data=body.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "text/xml"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    def control(self, request):
        """Tests in other processes: set followers, expire tokens, read what was delivered."""
        if request.method == "POST":
            orders = json.loads(request.body or b"{}")
            for openid in orders.get("follow", ()):
                self.follow(openid)
            if orders.get("expire_tokens"):
                self.expire_tokens()
        counts = {}
        for message in self.delivered:
            counts[message["touser"]] = counts.get(message["touser"], 0) + 1
        return self.answer(delivered=len(self.delivered), by_openid=counts, token_fetches=self.token_fetches)
