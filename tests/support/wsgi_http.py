"""A ``requests`` session whose requests to one address are answered by a WSGI application in
this process (the WeChat stand-in), so clients built on ``requests`` (wechatpy) can be tested
without a server."""
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from webob import Request


class WSGIAdapter(BaseAdapter):
    def __init__(self, app):
        super().__init__()
        self.app = app
        self.calls = []

    def send(self, request, **_kw):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        blank = Request.blank(request.url, method=request.method, body=body,
                              headers={k: v for k, v in request.headers.items() if k.lower() != "content-length"})
        self.calls.append((request.method, blank.path))
        answer = blank.get_response(self.app)
        response = requests.Response()
        response.status_code = answer.status_int
        response._content = answer.body
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def session_for(prefix, app):
    session = requests.Session()
    adapter = WSGIAdapter(app)
    session.mount(prefix, adapter)
    return session, adapter
