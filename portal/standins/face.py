"""A stand-in for the face-verification provider, speaking exactly the portal's protocol.

It is a separate WSGI application (WebOb only, nothing of the portal): it checks the signed
hand-over form, shows the person's name with two buttons ("the face matches" / "it does not"),
then POSTs the signed result to the portal's callback, server to server, and sends the browser
back to the portal.  The tests drive it, and ``make serve`` mounts it at ``/face-double/`` (with
``portal.face_double = true``) so the demo can bind by face.  A real deployment points
``portal.face_provider_url`` and ``portal.face_provider_secret`` at the real service instead.
"""
import html
import json
import time
import urllib.request
from urllib.parse import urlencode

from webob import Request, Response
from webob.exc import HTTPBadRequest, HTTPForbidden, HTTPFound, HTTPNotFound

from portal.binding.face import CALLBACK_FIELDS, REQUEST_FIELDS, sign, signature_ok


def http_transport(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


class FaceDouble:
    def __init__(self, secret, transport=http_transport, now=time.time):
        self.secret = secret
        self.transport = transport
        self.now = now
        self.callbacks = []         # (url, body, status) for the tests to inspect

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path_info.rstrip("/")
        if request.method == "POST" and path.endswith("/verify"):
            response = self.verify(request)
        elif request.method == "POST" and path.endswith("/decide"):
            response = self.decide(request)
        else:
            response = HTTPNotFound()
        return response(environ, start_response)

    def verify(self, request):
        values = {name: request.POST.get(name, "") for name in REQUEST_FIELDS + ("sig",)}
        if not signature_ok(self.secret, values, REQUEST_FIELDS):
            return HTTPForbidden("bad signature")
        if int(values["expires"] or 0) < self.now():
            return HTTPBadRequest("expired request")
        keep = "".join(f'<input type="hidden" name="{n}" value="{html.escape(values[n])}">'
                       for n in ("request_id", "callback_url", "return_url"))
        page = (
            "<!DOCTYPE html><html lang='zh-Hans'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>人脸核验（测试替身）</title></head><body>"
            "<h1>人脸核验（测试替身）</h1>"
            f"<p>核验对象：{html.escape(values['name'])}</p>"
            "<form method='post' action='decide'>" + keep +
            "<button name='result' value='pass'>人脸一致</button> "
            "<button name='result' value='fail'>人脸不一致</button></form></body></html>"
        )
        return Response(page, charset="utf-8")

    def decide(self, request):
        result = request.POST.get("result")
        if result not in ("pass", "fail"):
            return HTTPBadRequest("no result")
        body = {"request_id": request.POST.get("request_id", ""), "result": result,
                "timestamp": int(self.now())}
        body["sig"] = sign(self.secret, body, CALLBACK_FIELDS)
        status = self.transport(request.POST.get("callback_url", ""), body)
        self.callbacks.append((request.POST.get("callback_url", ""), body, status))
        return HTTPFound(location=request.POST.get("return_url", "") + "?" +
                         urlencode({"request_id": body["request_id"]}))
