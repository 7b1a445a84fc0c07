"""Deploying it (issue 21): production.ini serves over ZEO with its secrets from the environment
and refuses to start without them or with a development-only setting; portal-check says what is
wrong; the shipped nginx site passes `nginx -t` and proxies votes to two processes; the systemd
units pass `systemd-analyze verify`."""
import configparser
import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal import deployment
from tests.support import loopback

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ROOT / "production.ini"
DEPLOY = ROOT / "deploy"
SECRETS = {"PORTAL_SECRET": "production-test-secret", "PORTAL_ID_KEY": "production-test-id-key",
           "PORTAL_SMS_SECRET": "production-test-sms-secret"}


def production_settings(**changes):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PRODUCTION)
    settings = dict(parser["app:main"])
    settings.update(changes)
    return settings


def test_the_shipped_production_settings_are_fit_with_secrets_in_the_environment():
    assert deployment.problems(production_settings(), environ=SECRETS) == []


def test_missing_secrets_and_development_settings_are_each_named():
    found = deployment.problems(production_settings(**{"portal.clock_override": "true",
                                                       "portal.face_double": "true",
                                                       "portal.outbox_page": "true",
                                                       "portal.secure_cookies": "false"}), environ={})
    text = "\n".join(found)
    for words in ("PORTAL_SECRET", "PORTAL_ID_KEY", "portal.clock_override is on", "portal.face_double is on",
                  "portal.outbox_page is on", "portal.secure_cookies is off"):
        assert words in text
    inline = deployment.problems(production_settings(**{"portal.secret": "x"}), environ={"PORTAL_ID_KEY": "k"})
    assert any("written in the settings file" in p for p in inline)
    inside = deployment.problems(production_settings(**{"portal.secret_file": str(PRODUCTION)}),
                                 environ={"PORTAL_ID_KEY": "k"})
    assert any("inside the checkout" in p for p in inside)
    assert deployment.problems({"portal.clock_override": "true"}) == []      # development settings


def production_ini(folder, zeo_port, **app_changes):
    """The shipped production.ini with this host's values (ZEO address, state folder) and
    ``app_changes`` in [app:main]."""
    text = PRODUCTION.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^zeo_address = .*$", f"zeo_address = 127.0.0.1:{zeo_port}", text)
    text = re.sub(r"(?m)^state_dir = .*$", f"state_dir = {folder}", text)
    for key, value in app_changes.items():
        text = text.replace("[app:main]\n", f"[app:main]\n{key} = {value}\n", 1)
    path = folder / "production.ini"
    path.write_text(text, encoding="utf-8")
    return path


def voting_demo_database(folder):
    """A demo database (made by portal-init with development settings) whose ballot b2 is open
    for voting now, in real time (production has no demo clock)."""
    from portal import main
    from portal.ballots import lifecycle
    from portal.bootstrap import ROOT_KEY
    from portal.clock import local
    from tests.conftest import current

    uri = f"file://{folder}/Data.fs?blobstorage_dir={folder}/blobs"
    dev = loopback.write_ini(folder, uri, 0, SECRETS["PORTAL_SECRET"], SECRETS["PORTAL_ID_KEY"])
    loopback.init(dev, "--demo")
    app = main({}, **{"zodbconn.uri": uri, "retry.attempts": "3", "tm.manager_hook": "pyramid_tm.explicit_manager",
                      "portal.secret": SECRETS["PORTAL_SECRET"], "portal.id_key": SECRETS["PORTAL_ID_KEY"]})
    db = app.registry._zodb_databases[""]
    now = datetime.datetime.now(datetime.timezone.utc)
    with current(app.registry), db.transaction() as conn:
        ballot = conn.root()[ROOT_KEY]["tianhe"]["shipai"]["mingyuan"]["ballots"]["b2"]
        ballot.start_date = local(now).date()
        ballot.end_date = ballot.start_date + datetime.timedelta(days=6)
        lifecycle.catch_up(ballot, now)
        assert ballot.phase() == "voting"
    db.close()


def start_production(ini, port, env):
    return subprocess.Popen([str(loopback.BIN / "pserve"), str(ini), f"http_port={port}"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture
def zeo_server(tmp_path):
    voting_demo_database(tmp_path)
    zeo_port = loopback.free_port()
    conf = tmp_path / "zeo.conf"
    conf.write_text(f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n  path {tmp_path}/Data.fs\n"
                    f"  blob-dir {tmp_path}/blobs\n</filestorage>\n")
    processes = [loopback.start_zeo(conf)]
    try:
        yield zeo_port, processes
    finally:
        loopback.stop(processes)


def env_with(secrets):
    env = {k: v for k, v in loopback.environment().items() if not k.startswith("PORTAL_")}
    return dict(env, **secrets)


def test_production_refuses_to_start_without_secrets_or_with_a_development_setting(tmp_path):
    ini = production_ini(tmp_path, loopback.free_port())
    refused = subprocess.run([str(loopback.BIN / "pserve"), str(ini), "http_port=1"], env=env_with({}),
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "will not start" in refused.stderr and "PORTAL_SECRET" in refused.stderr
    demo_clock = production_ini(tmp_path, loopback.free_port(), **{"portal.clock_override": "true"})
    refused = subprocess.run([str(loopback.BIN / "pserve"), str(demo_clock), "http_port=1"],
                             env=env_with(SECRETS), capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "portal.clock_override is on" in refused.stderr
    check = subprocess.run([str(loopback.BIN / "portal-check"), str(demo_clock), "http_port=1"],
                           env=env_with({}), capture_output=True, text=True, timeout=120)
    assert check.returncode == 1
    assert "PROBLEM: portal.clock_override is on" in check.stdout and "PORTAL_ID_KEY" in check.stdout


def test_production_serves_over_zeo_and_portal_check_passes(tmp_path, zeo_server):
    zeo_port, processes = zeo_server
    ini = production_ini(tmp_path, zeo_port)
    check = subprocess.run([str(loopback.BIN / "portal-check"), str(ini), "http_port=check"],
                           env=env_with(SECRETS), capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "audit log intact" in check.stdout and "the ID keys read this database" in check.stdout
    assert "PDFs can be made" in check.stdout
    port = loopback.free_port()
    processes.append(start_production(ini, port, env_with(SECRETS)))
    loopback.wait_for(port, seconds=60)
    status, health = loopback.api(port, "GET", "/@health")
    assert status == 200 and health["database"] == "ok"
    admin = loopback.api(port, "POST", "/@login", {"login": "admin", "password": "admin-demo"})[1]["token"]
    status, _body = loopback.api(port, "POST", "/@clock", {"now": "2030-01-01T00:00:00+08:00"}, token=admin)
    assert status in (403, 404)                          # no demo clock in production


def nginx_site(folder, https_port, http_port, app_ports, cert, key):
    """The shipped nginx site and proxy include, with this host's ports, paths and certificate."""
    site = (DEPLOY / "nginx-portal.conf").read_text(encoding="utf-8")
    site = re.sub(r"(?m)^\s*listen \[::\]:.*\n", "", site)
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    upstream = "".join(f"    server 127.0.0.1:{p};\n" for p in app_ports)
    site = re.sub(r"(?m)^    server 127\.0\.0\.1:\d+;\n(    server 127\.0\.0\.1:\d+;\n)*", upstream, site)
    site = site.replace("/etc/ssl/portal/fullchain.pem", str(cert)).replace("/etc/ssl/portal/privkey.pem", str(key))
    site = site.replace("/etc/nginx/portal-proxy.conf", str(folder / "portal-proxy.conf"))
    site = site.replace("/opt/portal/static/", f"{ROOT}/static/")
    shutil.copy(DEPLOY / "nginx-portal-proxy.conf", folder / "portal-proxy.conf")
    (folder / "site.conf").write_text(site, encoding="utf-8")
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(exist_ok=True)
    main = (f"user root;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            f"daemon off;\nevents {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n"
            + "".join(f"  {t}_temp_path {folder}/{t};\n" for t in ("proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  client_body_temp_path {folder}/body;\n  include {folder}/site.conf;\n}}\n")
    (folder / "nginx.conf").write_text(main, encoding="utf-8")
    return folder / "nginx.conf"


def https(port, method, path, body=None, token=None, source="127.0.0.1"):
    """(status, headers, JSON or None) of one request to the nginx on loopback, from ``source``."""
    import http.client
    import json
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30,
                                             source_address=(source, 0))
    headers = {"Accept": "application/json", "Content-Type": "application/json", "Host": "vote.example.gov.cn"}
    if token:
        headers["Authorization"] = "Bearer " + token
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    try:
        return response.status, dict(response.getheaders()), json.loads(payload)
    except ValueError:
        return response.status, dict(response.getheaders()), None


needs_nginx = pytest.mark.skipif(shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"),
                                 reason="Debian's nginx is not installed (make test installs it)")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@needs_nginx
def test_nginx_accepts_the_shipped_site(tmp_path):
    from tests.support.tls import self_signed

    cert, key = self_signed(tmp_path)
    conf = nginx_site(tmp_path, loopback.free_port(), loopback.free_port(), [6543, 6544], cert, key)
    tested = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True, timeout=30)
    assert tested.returncode == 0, tested.stderr
    assert "syntax is ok" in tested.stderr


@needs_nginx
def test_nginx_proxies_votes_to_two_processes(tmp_path, zeo_server):
    from tests.support.tls import self_signed

    zeo_port, processes = zeo_server
    ini = production_ini(tmp_path, zeo_port)
    app_ports = [loopback.free_port(), loopback.free_port()]
    for port in app_ports:
        processes.append(start_production(ini, port, env_with(SECRETS)))
    for port in app_ports:
        loopback.wait_for(port, seconds=60)
    cert, key = self_signed(tmp_path)
    https_port = loopback.free_port()
    conf = nginx_site(tmp_path, https_port, loopback.free_port(), app_ports, cert, key)
    nginx = subprocess.Popen([NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes.append(nginx)
    try:
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=20)
        while True:
            try:
                status, _h, health = https(https_port, "GET", "/@health")
                break
            except OSError:
                if datetime.datetime.now() > deadline:
                    raise
        assert status == 200 and health["database"] == "ok"
        status, headers, _body = https(https_port, "GET", "/static/portal.css")
        assert status == 200 and "max-age=2592000" in headers.get("Cache-Control", "")
        ballot = loopback.DEMO_BALLOT
        voters = []
        for login in ("owner1", "owner2", "owner3"):
            status, _h, answer = https(https_port, "POST", "/@login", {"login": login, "password": f"{login}-demo"})
            assert status == 200
            voters.append(answer["token"])
        receipts = []
        for token in voters:
            status, _h, answer = https(https_port, "POST", ballot + "/@vote",
                                       {"votes": {"m1": "agree", "m2": "oppose", "m3": "abstain"}}, token=token)
            assert status == 200, answer
            receipts.append(answer["receipt"])
        for port in app_ports:                  # every process sees every vote
            progress = loopback.api(port, "GET", ballot + "/@progress", token=voters[0])[1]
            assert progress["voted_owners"] == 3
        # the owner's address reaches the throttles through nginx: five wrong passwords from one
        # address lock the account there, while the real administrator elsewhere still signs in
        for _ in range(5):
            assert https(https_port, "POST", "/@login", {"login": "admin", "password": "wrong"},
                         source="127.0.0.2")[0] == 401
        assert https(https_port, "POST", "/@login", {"login": "admin", "password": "admin-demo"},
                     source="127.0.0.2")[0] == 429
        assert https(https_port, "POST", "/@login", {"login": "admin", "password": "admin-demo"},
                     source="127.0.0.3")[0] == 200
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def test_the_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    units = sorted(p for p in DEPLOY.iterdir() if p.suffix in (".service", ".timer"))
    assert {p.name for p in units} >= {"portal-zeo.service", "portal@.service", "portal-tick.service",
                                       "portal-tick.timer", "portal-backup.service", "portal-backup.timer",
                                       "portal-pack.service", "portal-pack.timer"}
    # the units as installed, with this checkout's programs in place of /opt/portal's
    folder = tmp_path / "units"
    folder.mkdir()
    for unit in units:
        text = unit.read_text(encoding="utf-8").replace("/opt/portal/.venv/bin/", f"{loopback.BIN}/")
        text = text.replace("/opt/portal/deploy/", f"{DEPLOY}/")
        name = unit.name.replace("@.service", "@6543.service")
        (folder / name).write_text(text, encoding="utf-8")
    result = subprocess.run([analyze, "verify", *[str(p) for p in sorted(folder.iterdir())]],
                            capture_output=True, text=True, timeout=60)
    names = [p.name for p in folder.iterdir()]
    faults = [line for line in (result.stdout + result.stderr).splitlines() if any(n in line for n in names)]
    if result.returncode != 0 and not faults:
        pytest.skip(f"systemd-analyze cannot verify units here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0 and faults == [], result.stderr
