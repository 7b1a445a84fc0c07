"""What the benchmarks share: bounded loads of concurrent HTTP clients on loopback, in this
process (``load``) or in a process of their own (``load_in_process``), and a server's CPU time."""
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.loopback import call  # noqa: F401  (the benchmarks' one HTTP helper)


def write_results(filename, title, lines, notes=()):
    """Write ``lines`` to $BENCH_DIR/filename (bench-results/ by default) under a header naming the
    run; the whole text."""
    out_dir = os.environ.get("BENCH_DIR", "bench-results")
    os.makedirs(out_dir, exist_ok=True)
    header = [f"# make bench: {title}, {time.strftime('%Y-%m-%d %H:%M:%S')}, python {sys.version.split()[0]}"]
    text = "\n".join(header + [f"# {note}" for note in notes] + list(lines)) + "\n"
    with open(os.path.join(out_dir, filename), "w") as out:
        out.write(text)
    return text


def load(clients, jobs, send):
    """Run ``send(job) -> (status, seconds)`` over ``jobs`` with ``clients`` threads.

    Returns the rate, p50 and p99 (ms), and [(job, status)] in completion order."""
    results, latencies, lock = [], [], threading.Lock()

    def client(offset):
        for job in jobs[offset::clients]:
            status, seconds = send(job)
            with lock:
                results.append((job, status))
                latencies.append(seconds)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"rate": len(results) / wall, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, "results": results}


def load_in_process(port, jobs, clients):
    """Send ``jobs`` [(id, method, path, body, headers)] to 127.0.0.1:port from ``clients`` threads of
    a separate Python process (so the load generator's CPU is not the server's); returns the rate,
    p50 and p99 (ms), {status: count} and the ids answered 200 (the acknowledged ones)."""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONWARNINGS="ignore")
    done = subprocess.run([sys.executable, "-m", "bench.benchkit"], input=json.dumps(
        {"port": port, "clients": clients, "jobs": jobs}), capture_output=True, text=True, cwd=root, env=env,
        check=True)
    return json.loads(done.stdout)


def cpu_ms(pid):
    """User + system CPU milliseconds the process ``pid`` (all its threads) has used, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _serve_jobs():
    order = json.load(sys.stdin)
    jobs = {job[0]: job for job in order["jobs"]}

    def send(job_id):
        _id, method, path, body, headers = jobs[job_id]
        try:
            status, seconds, _payload = call(order["port"], method, path, body, headers)
        except OSError:
            status, seconds = 0, 0.0
        return status, seconds

    measured = load(order["clients"], [job[0] for job in order["jobs"]], send)
    statuses = {}
    for _job, status in measured["results"]:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    json.dump({"rate": measured["rate"], "p50": measured["p50"], "p99": measured["p99"], "statuses": statuses,
               "ok": [job for job, status in measured["results"] if status == 200]}, sys.stdout)


if __name__ == "__main__":
    _serve_jobs()
