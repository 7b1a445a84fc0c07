"""Application processes on loopback, for the tests and benchmarks that need real servers: a free
port, an ini file for a storage URI, starting and stopping ``pserve``, and owners bound to a
community's register with bearer tokens (the state a vote load needs)."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
QUIET = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, seconds=30):
    """Wait until the process on ``port`` answers its health check."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/@health", timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"127.0.0.1:{port} did not answer within {seconds} s")


def environment():
    return dict(os.environ, PYTHONWARNINGS="ignore")


def ini_text(app, server=None):
    """An ini file's text: ``app`` settings for egg:portal, and waitress settings if ``server``."""
    lines = ["[app:main]", "use = egg:portal"] + [f"{key} = {value}" for key, value in app.items()]
    if server is not None:
        lines += ["[server:main]", "use = egg:waitress#main"] + [f"{key} = {value}" for key, value in server.items()]
    return "\n".join(lines) + "\n"


def write_ini(folder, uri, port, secret, id_key, server=None, **settings):
    """An application ini serving ``uri`` on 127.0.0.1:port; extra ``portal.*`` settings by name,
    waitress settings in ``server``."""
    app = {"zodbconn.uri": uri, "retry.attempts": 10, "tm.manager_hook": "pyramid_tm.explicit_manager",
           "portal.secret": secret, "portal.id_key": id_key,
           **{f"portal.{name}": value for name, value in settings.items()}}
    path = Path(folder) / f"app-{port}.ini"
    path.write_text(ini_text(app, dict({"threads": 8}, **(server or {}), listen=f"127.0.0.1:{port}")))
    return path


def start(ini):
    return subprocess.Popen([str(BIN / "pserve"), str(ini)], env=environment(), **QUIET)


def start_zeo(conf):
    return subprocess.Popen([str(BIN / "runzeo"), "-C", str(conf)], env=environment(), **QUIET)


def init(ini, *options):
    """``portal-init`` on the ini's database (``--demo`` builds the demo city)."""
    subprocess.run([str(BIN / "portal-init"), str(ini), *options], env=environment(), check=True,
                   capture_output=True)


def stop(processes):
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def bind_voters(portal, community, count, tokens, now, login="voter"):
    """Bind ``count`` sole owners of dwellings in ``community`` to new owner accounts; their tokens.

    Co-owners share one vote, so only identities that own their units alone are used."""
    from pyramid.traversal import resource_path

    from portal.binding import service as binding
    from portal.register.records import Binding
    from portal.security.accounts import OWNER, Account

    register = community["register"]
    sole = [h for h in register.identity_index.keys() if h not in register.bindings
            and all(len(u.owners) == 1 and u.kind == "dwelling" for u in register.units_of(h))][:count]
    issued = []
    for n, id_hash in enumerate(sole):
        account = portal.accounts.add(Account(f"{login}{n}", "v", f"{login}-password", kind=OWNER))
        register.bindings[id_hash] = Binding.make(uid=account.uid, when=now, method="test")
        binding.index_binding(community, account, id_hash)
        account.communities = (resource_path(community),)
        issued.append(tokens.issue(account))
    return issued


DEMO_COMMUNITY = ("tianhe", "shipai", "mingyuan")
DEMO_BALLOT = "/tianhe/shipai/mingyuan/ballots/b2"


def demo_voting(db, secret, count, login="voter"):
    """On a demo database: bind ``count`` voters in 明苑 and move the demo clock to the opening of
    its ballot b2 (in notice), so votes can be cast at once; the voters' bearer tokens."""
    import datetime

    from portal.ballots.rules import midnight
    from portal.bootstrap import ROOT_KEY
    from portal.security.tokens import TokenService

    district, street, name = DEMO_COMMUNITY
    with db.transaction() as conn:
        portal = conn.root()[ROOT_KEY]
        community = portal[district][street][name]
        now = datetime.datetime.now(datetime.timezone.utc)
        tokens = bind_voters(portal, community, count, TokenService(secret.encode()), now, login)
        opens = midnight(community["ballots"]["b2"].start_date) + datetime.timedelta(hours=9)
        portal.clock_offset = (opens - now).total_seconds()
    return tokens


def call(port, method, path, body=None, headers=None):
    """(status, seconds, body bytes) of one request to 127.0.0.1:port."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    return status, time.perf_counter() - started, payload


def api(port, method, path, body=None, token=None, **headers):
    """(status, decoded JSON or None) of one API request; (None, None) when no whole answer came."""
    headers = {"Accept": "application/json", "Content-Type": "application/json", **headers}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        status, _seconds, payload = call(port, method, path, body, headers)
    except (OSError, http.client.HTTPException):        # no answer, or one cut off
        return None, None
    try:
        return status, json.loads(payload)
    except ValueError:
        return status, None
