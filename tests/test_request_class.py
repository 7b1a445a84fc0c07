"""The request's added methods and properties live on one class made at start-up
(``portal.request.bake_request_extensions``), not on a new class Pyramid makes per request."""
import itertools

import webtest
from pyramid.config import Configurator
from pyramid.events import NewRequest
from pyramid.interfaces import IRequestExtensions, IRequestFactory
from pyramid.response import Response

from portal.request import bake_request_extensions


def test_the_portal_serves_every_request_with_one_request_class_carrying_the_extensions(app):
    seen = []
    app.registry.registerHandler(lambda event: seen.append(type(event.request)), (NewRequest,))
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost", "REMOTE_ADDR": "10.0.0.1"})
    client.get("/")
    client.get("/", headers={"Accept": "application/json"})
    client.get("/@login")
    factory = app.registry.queryUtility(IRequestFactory)
    assert len(seen) == 3 and set(seen) == {factory}
    assert app.registry.queryUtility(IRequestExtensions) is None       # nothing left to apply per request
    for name in ("portal", "wants_json", "audit", "tm"):                # ours and pyramid_tm's
        assert name in vars(factory), name


def test_baked_extensions_behave_as_pyramid_applies_them():
    counter = itertools.count()
    config = Configurator()
    config.add_request_method(lambda request: next(counter), "reified", reify=True)
    config.add_request_method(lambda request: "each time", "computed", property=True)
    config.add_request_method(lambda request, word: f"{word} {request.path_info}", "said")
    config.action(None, lambda: bake_request_extensions(config.registry), order=1000)
    answers, classes = [], []

    def view(request):
        classes.append(type(request))
        answers.append((request.reified, request.reified, request.computed, request.said("at")))
        return Response("ok")

    config.add_route("here", "/here")
    config.add_view(view, route_name="here")
    client = webtest.TestApp(config.make_wsgi_app())
    client.get("/here")
    client.get("/here")
    assert answers == [(0, 0, "each time", "at /here"), (1, 1, "each time", "at /here")]   # once per request
    assert classes[0] is classes[1]


def test_without_added_extensions_the_factory_is_left_alone():
    config = Configurator()
    bake_request_extensions(config.registry)
    assert config.registry.queryUtility(IRequestFactory) is None
