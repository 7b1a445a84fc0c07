"""Development stand-ins for outside services (a face provider, an SMS gateway, WeChat).

Each speaks its service's documented protocol so the real clients can be exercised end to end
without the real service.  Nothing here is mounted unless its setting asks for it
(``portal.face_double = true`` mounts the face provider at ``/face-double/``,
``portal.wechat_double = true`` the WeChat platform at ``/wechat-double/``); production settings
leave them all off.
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
    if flag(settings, "wechat_double"):
        from pyramid.wsgi import wsgiapp2

        from portal.content.models import Portal
        from portal.notify.wechat import make_wechat
        from portal.standins.wechat import WeChatDouble

        wechat = make_wechat(settings)
        if wechat is not None:
            config.registry.wechat_double = WeChatDouble(wechat.app_id, wechat.secret, wechat.token,
                                                         wechat.templates.values())
            config.add_view(wsgiapp2(config.registry.wechat_double), context=Portal, name="wechat-double",
                            require_csrf=False)
