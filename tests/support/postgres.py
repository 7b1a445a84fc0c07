"""A throwaway PostgreSQL server for the RelStorage test and benchmark.

It runs Debian's PostgreSQL binaries (``apt-get install postgresql``) on its own data folder and a
free loopback port, trusts local connections, and is removed when stopped; nothing touches the
machine's own clusters.  PostgreSQL refuses to run as root, so under root the server runs as the
``postgres`` user the Debian package creates.
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.loopback import free_port

USER = "portal"


def binaries():
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]),
                        reverse=True)
    found = shutil.which("pg_config")
    if found:
        candidates.insert(0, subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip())
    for folder in candidates:
        if os.access(os.path.join(folder, "initdb"), os.X_OK):
            return folder
    return None


def unavailable():
    """Why a private server cannot be started here (a sentence), or None when it can."""
    try:
        import psycopg2  # noqa: F401
        import relstorage  # noqa: F401
    except ImportError as exc:
        return f"RelStorage's PostgreSQL driver is not installed ({exc}); pip install -e '.[postgresql]'"
    if binaries() is None:
        return "PostgreSQL is not installed (no initdb); apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
    return None


class PrivateServer:
    """``with PrivateServer() as server: server.uri("portal")``."""

    def __init__(self):
        self.bindir = binaries()
        self.port = free_port()
        self.folder = None

    def _run(self, *command):
        user = "postgres" if os.geteuid() == 0 else None
        subprocess.run([os.path.join(self.bindir, command[0]), *command[1:]], check=True,
                       capture_output=True, user=user, cwd=self.folder)

    def start(self):
        self.folder = tempfile.mkdtemp(prefix="portal-pg-")
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        data = os.path.join(self.folder, "data")
        self._run("initdb", "-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=60"
        self._run("pg_ctl", "-D", data, "-o", options, "-l", os.path.join(self.folder, "server.log"),
                  "-w", "-t", "60", "start")
        return self

    def create_database(self, name):
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name)
        return self.uri(name)

    def dsn(self, name):
        """The libpq connection string of a database on this server (as zodbconvert wants it)."""
        return f"dbname='{name}' user='{USER}' host='127.0.0.1' port='{self.port}'"

    def uri(self, name, **options):
        """The zodbconn URI of a database on this server (options: RelStorage's URI options)."""
        query = "&".join(f"{key}={value}" for key, value in options.items())
        return f"postgres://{USER}@127.0.0.1:{self.port}/{name}" + (f"?{query}" if query else "")

    def stop(self):
        if self.folder is None:
            return
        try:
            self._run("pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def log(self):
        path = Path(self.folder or "", "server.log")
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
