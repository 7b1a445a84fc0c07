"""The owners' decision e-voting portal: a Pyramid application over ZODB."""
from pyramid.config import Configurator

from portal.bootstrap import ensure_portal, root_factory


def main(global_config, **settings):
    """The WSGI application."""
    settings.setdefault("pyramid.default_locale_name", "zh_Hans")
    with Configurator(settings=settings, root_factory=root_factory) as config:
        config.include("pyramid_chameleon")
        config.include("pyramid_tm")
        config.include("pyramid_retry")
        config.include("pyramid_zodbconn")
        config.include("portal.i18n_setup")
        config.include("portal.request")
        config.include("portal.logs")
        config.include("portal.security")
        config.include("portal.forms")
        config.include("portal.register.setup")
        config.include("portal.binding.setup")
        config.add_static_view("static", "portal.static:", cache_max_age=3600)
        config.scan("portal", ignore=["portal.scripts"])
    prepare_database(config.registry._zodb_databases[""])
    return config.make_wsgi_app()


def prepare_database(db):
    """Create the portal in a new database and run pending evolve steps."""
    from portal import evolve

    ensure_portal(db)
    evolve.run_pending(db)
