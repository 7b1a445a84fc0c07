"""Wiring binding: the message sender, the face provider settings, the evolve step."""
from BTrees.OOBTree import OOBTree

from portal import evolve
from portal.binding.messages import make_sender
from portal.settings import flag


@evolve.step("0003-binding-stores")
def add_binding_stores(portal):
    for name in ("phone_codes", "face_requests"):
        if not hasattr(portal, name):
            setattr(portal, name, OOBTree())


class FaceProvider:
    def __init__(self, url, secret):
        self.url = url
        self.secret = secret


def includeme(config):
    settings = config.registry.settings
    config.registry.message_sender = make_sender(settings)
    config.registry.face_provider = FaceProvider(
        settings.get("portal.face_provider_url", ""), settings.get("portal.face_provider_secret", ""))
    if flag(settings, "face_double"):
        mount_face_double(config)


def mount_face_double(config):
    """Development only: the provider stand-in at /face-double/ (see face_double.py)."""
    from pyramid.wsgi import wsgiapp2

    from portal.binding.face_double import FaceDouble
    from portal.content.models import Portal

    double = FaceDouble(config.registry.settings.get("portal.face_provider_secret", ""))
    config.add_view(wsgiapp2(double), context=Portal, name="face-double", require_csrf=False)
