"""The application factory: one Configurator block (includes, then scan), then the database."""
from pyramid.config import Configurator

from portal import deployment
from portal.bootstrap import ROOT_KEY, ensure_portal, root_factory


def main(global_config, **settings):
    """The WSGI application."""
    settings.setdefault("pyramid.default_locale_name", "zh_Hans")
    deployment.refuse_unfit(settings)       # production settings with a hole never serve
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
        config.include("portal.scheduler")
        config.include("portal.workflow.types")
        config.include("portal.content.panels")
        config.include("portal.register.setup")
        config.include("portal.binding.setup")
        config.include("portal.ballots.setup")
        config.include("portal.documents.setup")
        config.include("portal.search.communities")
        config.include("portal.voting.setup")
        config.include("portal.paper.setup")
        config.include("portal.notify.setup")
        config.include("portal.catalog")
        config.include("portal.desks")
        config.include("portal.privacy")
        config.include("portal.standins")
        config.add_static_view("static", "portal.static:", cache_max_age=3600)
        config.scan("portal")
    db = config.registry._zodb_databases[""]
    try:
        prepare_database(db, config.registry.personal_data)
    except BaseException:
        db.close()              # give the storage (and its lock) back before giving up
        raise
    return config.make_wsgi_app()


def prepare_database(db, personal):
    """Create the portal in a new database, run pending evolve steps, and check that the ID keys
    given can read the database (KeyMismatch says what is wrong)."""
    import transaction

    from portal import evolve
    from portal.register import keyring

    ensure_portal(db)
    evolve.run_pending(db)
    manager = transaction.TransactionManager()
    conn = db.open(manager)
    try:
        for attempt in manager.attempts(5):     # processes starting together may both record
            with attempt as txn:                # writes only when the record changed
                keyring.check(conn.root()[ROOT_KEY], personal)
                txn.note("record the ID keys in use")
    finally:
        conn.close()
