"""``make bench`` (processes part): the vote path served by one process on a FileStorage against
two processes over one ZEO server, in the same run (loopback, bounded count).  Written to
bench-results/zeo.txt."""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from portal.scripts.benchkit import call, load

BIN = Path(sys.executable).parent
SECRET = "bench-zeo-secret"
VOTES = 400
CHOICES = {"m1": "agree", "m2": "oppose", "m3": "abstain"}
BALLOT = "/tianhe/shipai/qiaoyuan/ballots/b1/@vote"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/@health", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"port {port} did not answer")


def prepare(folder):
    """A database with VOTES * 2 bound voters and a ballot in voting; their bearer tokens."""
    from portal.scripts.bench_vote import portal_app

    app, db, tokens, _path = portal_app(folder, voters=VOTES * 2)
    db.close()
    return tokens, app.registry.settings


def ini(folder, uri, port):
    path = Path(folder) / f"app-{port}.ini"
    path.write_text(
        f"[app:main]\nuse = egg:portal\nzodbconn.uri = {uri}\nretry.attempts = 10\n"
        "tm.manager_hook = pyramid_tm.explicit_manager\nportal.secret = bench\nportal.id_key = bench-id\n"
        f"[server:main]\nuse = egg:waitress#main\nlisten = 127.0.0.1:{port}\nthreads = 8\n")
    return path


def run(ports, tokens, first):
    def send(i):
        status, seconds, _ = call(ports[i % len(ports)], "POST", BALLOT, {"votes": CHOICES}, {
            "Content-Type": "application/json", "Accept": "application/json",
            "Authorization": "Bearer " + tokens[i]})
        return status, seconds

    measured = load(16, list(range(first, first + VOTES)), send)
    measured["non2xx"] = sum(1 for _i, s in measured["results"] if s != 200)
    return measured


def main():
    out_dir = os.environ.get("BENCH_DIR", "bench-results")
    os.makedirs(out_dir, exist_ok=True)
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    processes, lines = [], []
    with tempfile.TemporaryDirectory() as folder:
        tokens, _settings = prepare(folder)
        try:
            single = free_port()
            processes.append(subprocess.Popen(
                [str(BIN / "pserve"), str(ini(folder, f"file://{folder}/portal.fs", single))], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(single)
            one = run([single], tokens, 0)
            processes.pop().send_signal(signal.SIGTERM)
            time.sleep(1)
            zeo_port = free_port()
            conf = Path(folder) / "zeo.conf"
            conf.write_text(f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n"
                            f"  path {folder}/portal.fs\n</filestorage>\n")
            processes.append(subprocess.Popen([str(BIN / "runzeo"), "-C", str(conf)], env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(1)
            ports = [free_port(), free_port()]
            for port in ports:
                uri = f"zeo://127.0.0.1:{zeo_port}?blob_dir={folder}/cache-{port}&shared_blob_dir=false"
                processes.append(subprocess.Popen([str(BIN / "pserve"), str(ini(folder, uri, port))], env=env,
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for port in ports:
                wait_for(port)
            two = run(ports, tokens, VOTES)
        finally:
            for process in reversed(processes):
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=20)
    for label, r in (("1 process, FileStorage", one), ("2 processes over ZEO", two)):
        lines.append(f"16 clients  {label:24} {VOTES} votes  rate={r['rate']:.1f}/s  p50={r['p50']:.1f}ms  "
                     f"p99={r['p99']:.1f}ms  non2xx={r['non2xx']}")
    lines.append(f"ZEO/single rate ratio = {two['rate'] / one['rate']:.2f} (2 cores; clients share them)")
    header = [f"# make bench: one process against two over ZEO, {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    print("\n".join(lines))
    with open(os.path.join(out_dir, "zeo.txt"), "w") as out:
        out.write("\n".join(header + lines) + "\n")


if __name__ == "__main__":
    main()
