"""More than one process: a ZEO server and two application processes on loopback.  A vote cast
through one process is seen in the progress read through the other."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def request(port, method, path, body=None, token=None):
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def cluster(tmp_path):
    zeo_port, ports = free_port(), [free_port(), free_port()]
    (tmp_path / "zeo.conf").write_text(
        f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n  path {tmp_path}/Data.fs\n"
        f"  blob-dir {tmp_path}/blobs\n</filestorage>\n")
    ini = tmp_path / "app.ini"
    ini.write_text(
        "[app:main]\nuse = egg:portal\n"
        f"zodbconn.uri = zeo://127.0.0.1:{zeo_port}?blob_dir={tmp_path}/cache-%(http_port)s&shared_blob_dir=false\n"
        "retry.attempts = 10\ntm.manager_hook = pyramid_tm.explicit_manager\n"
        "portal.secret = zeo-test-secret\nportal.id_key = zeo-test-key\nportal.clock_override = true\n"
        f"portal.outbox_file = {tmp_path}/outbox.jsonl\n"
        "[server:main]\nuse = egg:waitress#main\nlisten = 127.0.0.1:%(http_port)s\nthreads = 4\n")
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    processes = [subprocess.Popen([str(BIN / "runzeo"), "-C", str(tmp_path / "zeo.conf")], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(1)
        subprocess.run([str(BIN / "portal-init"), f"{ini}", "--demo", "http_port=0"], env=env, check=True,
                       capture_output=True, cwd=tmp_path)
        for port in ports:
            processes.append(subprocess.Popen([str(BIN / "pserve"), str(ini), f"http_port={port}"], env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/@health")
        yield ports
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=20)


def test_a_vote_through_one_process_shows_in_the_progress_read_through_the_other(cluster):
    first, second = cluster
    assert request(first, "GET", "/@health")["database"] == "ok"
    admin = request(first, "POST", "/@login", {"login": "admin", "password": "admin-demo"})["token"]
    ballot = request(second, "GET", "/tianhe/shipai/mingyuan/ballots/b2", token=admin)
    opens = ballot["opens"]
    request(first, "POST", "/@clock", {"now": opens}, token=admin)       # the demo clock, kept in ZODB
    owner = request(second, "POST", "/@login", {"login": "owner1", "password": "owner1-demo"})["token"]
    before = request(second, "GET", "/tianhe/shipai/mingyuan/ballots/b2/@progress", token=owner)
    assert before["voted_owners"] == 0
    receipt = request(first, "POST", "/tianhe/shipai/mingyuan/ballots/b2/@vote",
                      {"votes": {"m1": "agree", "m2": "agree", "m3": "abstain"}}, token=owner)["receipt"]
    after = request(second, "GET", "/tianhe/shipai/mingyuan/ballots/b2/@progress", token=owner)
    assert after["voted_owners"] == 1
    checked = request(second, "GET", f"/tianhe/shipai/mingyuan/ballots/b2/@receipt?code={receipt}", token=owner)
    assert checked["matters"]["m1"] == "agree"
