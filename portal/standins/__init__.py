"""Development stand-ins for outside services (a face provider, an SMS gateway, later WeChat).

Each speaks its service's documented protocol so the real clients can be exercised end to end
without the real service.  Nothing here is mounted unless its setting asks for it
(``portal.face_double = true`` mounts the face provider at ``/face-double/``); production
settings leave them all off.
"""


def includeme(config):
    from portal.settings import flag

    settings = config.registry.settings
    if flag(settings, "face_double"):
        from pyramid.wsgi import wsgiapp2

        from portal.content.models import Portal
        from portal.standins.face import FaceDouble

        double = FaceDouble(settings.get("portal.face_provider_secret", ""))
        config.add_view(wsgiapp2(double), context=Portal, name="face-double", require_csrf=False)
