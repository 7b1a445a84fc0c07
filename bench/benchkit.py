"""What the benchmarks share: bounded loads of concurrent HTTP clients on loopback."""
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

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
