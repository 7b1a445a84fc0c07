"""The application factory: one Configurator block (includes, then scan), then the database."""
import gc

from pyramid.config import Configurator

from portal import deployment
from portal.bootstrap import ROOT_KEY, ensure_portal, root_factory
from portal.settings import flag


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
    app = config.make_wsgi_app()
    if flag(settings, "freeze_startup"):
        freeze_startup_objects()
    return app


def freeze_startup_objects():
    """Leave what start-up made (modules, the configuration, templates, translations: about 90,000
    objects, which live as long as the process) out of the garbage collector's full collections.
    Each full collection otherwise walks them all, with every request thread stopped: about 45 ms
    on the development machine, paid by whichever requests were in flight (measured in a served
    process while owners bound: the longest pause went from 66 ms to 31 ms).  The objects still
    live; they are only no longer traversed.  Garbage made so far is collected first."""
    gc.collect()
    gc.freeze()


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
