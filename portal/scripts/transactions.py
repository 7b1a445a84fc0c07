"""How a console script opens the database and commits: as the application does.

The application runs every request in a transaction of the request's own manager (pyramid_tm,
with ``tm.manager_hook = pyramid_tm.explicit_manager`` in the shipped settings) and runs it again
when it meets a conflict (pyramid_retry).  A script does the same: its work runs in transactions
of one explicit manager that its connection is opened with, each retried on a conflict, and a
note is written on the transaction that is committed.  Nothing commits or annotates the global,
thread-local transaction, which no connection of a script is joined to.
"""
import contextlib
import os

import transaction
from transaction.interfaces import TransientError

from portal.bootstrap import ROOT_KEY

ATTEMPTS = 5


@contextlib.contextmanager
def opened(config_uri, options=None):
    """The application's registry and database for ``config_uri``, with the registry current
    (events reach the application's subscribers) until the block ends."""
    if missing_settings(config_uri):
        raise SystemExit(missing_settings(config_uri))
    settings_loader(config_uri).setup_logging(options)
    with application(config_uri, options) as env:
        registry = env["registry"]
        yield registry, registry._zodb_databases[""]


def settings_loader(config_uri):
    """The PasteDeploy loader of an .ini file: the one ``plaster.get_loader`` (behind
    ``pyramid.paster``) finds after reading the metadata of every installed distribution, 0.1 s
    each time, and a script asked twice."""
    import plaster
    from plaster_pastedeploy import Loader

    return Loader(plaster.parse_uri(config_uri))


def application(config_uri, options=None):
    """The application's environment for ``config_uri``, as ``pyramid.paster.bootstrap`` makes it
    (app, registry, request, root, closer; a context manager); when its storage cannot be opened,
    the script ends with a sentence that says why, not a traceback."""
    from pyramid.scripting import prepare

    try:
        app = settings_loader(config_uri).get_wsgi_app(None, dict(options or {}, __script__="bootstrap"))
    except Exception as error:
        why = cannot_open(error)
        if why is None:
            raise
        raise SystemExit(f"cannot start: {why}. See zodbconn.uri and the file paths in {config_uri}.") from None
    env = prepare(registry=app.registry)
    env["app"] = app
    return env


def missing_settings(config_uri):
    """The sentence for a settings file that is not there (``file.ini#section`` names file.ini),
    else None."""
    path = config_uri.partition("#")[0]
    return None if os.path.isfile(path) else f"there is no settings file {path}"


def cannot_open(error):
    """Why the storage of the settings could not be opened, in words, or None for another error."""
    from ZEO.Exceptions import ClientDisconnected
    from zc.lockfile import LockError

    if isinstance(error, LockError):
        return ("the database is in use by another process: on the embedded FileStorage the server "
                "holds it and runs the periodic jobs itself (portal.scheduler = true); stop it first, "
                "or serve over ZEO or RelStorage")
    if isinstance(error, ClientDisconnected):
        return "the storage server does not answer"
    if isinstance(error, FileNotFoundError) and error.filename:
        folder = os.path.dirname(os.path.abspath(error.filename))
        if not os.path.isdir(folder):
            return f"the folder {folder} does not exist; make serve makes var/ on its first run"
    return None


def attempt(manager, work, note=None, attempts=ATTEMPTS):
    """``work()`` then commit, in a transaction of ``manager`` begun here; on a conflict abort and
    run it again (at most ``attempts`` times).  ``note`` (text, or a function of the result) is
    written on the transaction.  Returns what ``work`` returned."""
    for number in range(attempts):
        manager.begin()
        try:
            result = work()
            if note is not None:
                manager.get().note(note(result) if callable(note) else note)
            manager.commit()
            return result
        except TransientError:
            manager.abort()
            if number == attempts - 1:
                raise
        except BaseException:
            manager.abort()
            raise
    raise AssertionError("not reached")


@contextlib.contextmanager
def connection(db):
    """A connection of its own explicit transaction manager: (manager, root getter)."""
    manager = transaction.TransactionManager(explicit=True)
    conn = db.open(manager)
    try:
        yield manager, lambda: conn.root()[ROOT_KEY]
    finally:
        if _in_transaction(manager):
            manager.abort()
        conn.close()


def _in_transaction(manager):
    try:
        manager.get()
    except transaction.interfaces.NoTransaction:
        return False
    return True


def in_transaction(db, work, note=None, attempts=ATTEMPTS):
    """``work(portal)`` in one transaction of its own, retried on a conflict; its result."""
    with connection(db) as (manager, portal):
        return attempt(manager, lambda: work(portal()), note, attempts)


def ini_arguments(description, argv=None, add=None):
    """(args, options) of a console script taking ``<ini> [name=value ...]`` as pserve does (the
    values fill ``%(name)s`` in the .ini file); ``add(parser)`` adds the script's own options.
    The .ini file's logging is set up."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("config_uri")
    if add is not None:
        add(parser)
    parser.add_argument("variables", nargs="*", metavar="name=value",
                        help="values for %%(name)s in the .ini file, as for pserve")
    args = parser.parse_intermixed_args(argv)
    if missing_settings(args.config_uri):
        parser.error(missing_settings(args.config_uri))
    options = dict(v.split("=", 1) for v in args.variables if "=" in v)
    settings_loader(args.config_uri).setup_logging(options)
    return args, options
