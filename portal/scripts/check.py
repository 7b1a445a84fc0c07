"""``portal-check <ini> [name=value ...]``: verify a deployment before it serves.

Checks, without starting the application (so without running evolve steps): the settings
(production ones refuse development-only settings and secrets in the wrong place), that the
secrets can be read, that the storage answers and holds a portal, the evolve steps still to run,
that the ID keys read this database, that the audit log's hash chain is intact, and that the PDF
font loads.  Prints every problem and exits 1 if there is any, else prints what it checked and
exits 0.  Over ZEO or RelStorage it runs beside the application; on a single FileStorage stop
the server first (it holds the lock).
"""
import importlib
import pkgutil
import sys

import transaction

from portal.scripts.transactions import ini_arguments, settings_loader


def import_evolve_steps():
    """Every module of the package, so that every evolve step is registered (as the app's scan)."""
    import portal

    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(info.name)


def open_database(uri):
    import zodburi
    from ZODB import DB

    storage_factory, dbkw = zodburi.resolve_uri(uri)
    return DB(storage_factory(), **dbkw)


def check_database(settings, personal, report):
    from portal import evolve
    from portal.bootstrap import ROOT_KEY
    from portal.register import keyring

    uri = settings["zodbconn.uri"]
    if uri.startswith("file://"):
        import os
        import urllib.parse

        path = urllib.parse.unquote(urllib.parse.urlsplit(uri).path)
        if not os.path.exists(path):                # opening it would create an empty database
            report.problem(f"there is no database at {path}: run portal-init first")
            return
    try:
        db = open_database(uri)
    except Exception as exc:                 # noqa: BLE001  (any failure to open is the finding)
        report.problem(f"the storage at zodbconn.uri cannot be opened: {type(exc).__name__}: {exc}")
        return
    manager = transaction.TransactionManager()
    conn = db.open(manager)
    try:
        root = conn.root()
        if ROOT_KEY not in root:
            report.problem("the storage holds no portal yet: run portal-init first")
            return
        portal = root[ROOT_KEY]
        import_evolve_steps()
        pending = [name for name, _f in evolve.pending(portal)]
        report.fine(f"evolve steps to run at the next start: {', '.join(pending) or 'none'}")
        if personal is not None:
            try:
                keyring.check(portal, personal)
                report.fine("the ID keys read this database")
            except keyring.KeyMismatch as exc:
                report.problem(f"ID keys: {exc}")
        intact, count, bad = portal.audit_log.verify()
        if intact:
            report.fine(f"audit log intact: {count} entries")
        else:
            report.problem(f"the audit log is broken at entry {bad} ({count} entries read)")
    finally:
        manager.abort()                     # a check writes nothing
        conn.close()
        db.close()


def check_pdf_font(report):
    """PDFs embed Debian's Noto CJK fonts and are typeset by weasyprint (pango): both must load."""
    from portal import pdf

    missing = pdf.fonts_present()
    if missing:
        report.problem(f"the PDF fonts are missing: {', '.join(missing)} (apt-get install fonts-noto-cjk)")
    try:
        pdf.from_html("<p>字</p>")
        report.fine("PDFs can be made (weasyprint, Noto CJK)")
    except Exception as exc:                 # noqa: BLE001  (a missing library is the finding)
        report.problem(f"PDFs cannot be made: {type(exc).__name__}: {exc}")


def secret_given(settings, name, env_var):
    """Is the secret there to read, without creating it (as a first start would)?"""
    import os

    if os.environ.get(env_var) or settings.get(f"portal.{name}"):
        return True
    path = settings.get(f"portal.{name}_file")
    return bool(path) and os.path.isfile(path)


class Report:
    def __init__(self):
        self.problems, self.checked = [], []

    def problem(self, text):
        self.problems.append(text)

    def fine(self, text):
        self.checked.append(text)


def run(settings):
    """The Report of every check on ``settings``."""
    from portal import deployment
    from portal.register.setup import personal_data

    report = Report()
    for found in deployment.problems(settings):
        report.problem(found)
    personal = None
    missing = [env_var for name, env_var, _purpose in deployment.SECRETS if not secret_given(settings, name, env_var)]
    if missing:
        report.problem(f"secrets not given (nor a file holding them): {', '.join(missing)}")
    else:
        try:
            personal = personal_data(settings)
            report.fine("the secrets can be read")
        except (RuntimeError, ValueError) as exc:
            report.problem(f"secrets: {exc}")
    if "zodbconn.uri" not in settings:
        report.problem("no zodbconn.uri: the settings name no storage")
    else:
        check_database(settings, personal, report)
    check_pdf_font(report)
    return report


def main(argv=None):
    args, options = ini_arguments(__doc__.splitlines()[0], argv)
    report = run(settings_loader(args.config_uri).get_wsgi_app_settings(None, options))
    for line in report.checked:
        print(f"ok: {line}")
    for line in report.problems:
        print(f"PROBLEM: {line}")
    print(f"{len(report.problems)} problem(s)")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
