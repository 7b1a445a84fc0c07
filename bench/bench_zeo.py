"""``make bench`` (processes part): the vote path served by one process on a FileStorage, by two
processes over one ZEO server, and by two processes over RelStorage on PostgreSQL (when PostgreSQL
is installed), in the same run (loopback, bounded count).  Written to bench-results/zeo.txt."""
import tempfile
from pathlib import Path

from tests.support import loopback, postgres
from bench.benchkit import call, load, write_results

VOTES = 400
RUNS = 3
CHOICES = {"m1": "agree", "m2": "oppose", "m3": "abstain"}
BALLOT = "/tianhe/shipai/qiaoyuan/ballots/b1/@vote"


def prepare(folder):
    """A database with VOTES * RUNS bound voters and a ballot in voting; their bearer tokens."""
    from bench.bench_vote import portal_app

    _app, db, tokens, _path = portal_app(folder, voters=VOTES * RUNS)
    db.close()
    return tokens


def run(ports, tokens, first):
    def send(i):
        status, seconds, _ = call(ports[i % len(ports)], "POST", BALLOT, {"votes": CHOICES}, {
            "Content-Type": "application/json", "Accept": "application/json",
            "Authorization": "Bearer " + tokens[i]})
        return status, seconds

    measured = load(16, list(range(first, first + VOTES)), send)
    measured["non2xx"] = sum(1 for _i, s in measured["results"] if s != 200)
    return measured


def serve(folder, uris, tokens, first):
    """Votes VOTES[first:] through one application process per URI."""
    ports = [loopback.free_port() for _uri in uris]
    processes = [loopback.start(loopback.write_ini(folder, uri, port, "bench", "bench-id"))
                 for uri, port in zip(uris, ports)]
    try:
        for port in ports:
            loopback.wait_for(port)
        return run(ports, tokens, first)
    finally:
        loopback.stop(processes)


def over_zeo(folder, tokens, first):
    zeo_port = loopback.free_port()
    conf = Path(folder) / "zeo.conf"
    conf.write_text(f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n"
                    f"  path {folder}/portal.fs\n</filestorage>\n")
    zeo = loopback.start_zeo(conf)
    try:
        return serve(folder, [f"zeo://127.0.0.1:{zeo_port}?blob_dir={folder}/cache-{n}&shared_blob_dir=false"
                              for n in range(2)], tokens, first)
    finally:
        loopback.stop([zeo])


def over_relstorage(folder, tokens, first):
    """The same database copied into PostgreSQL (RelStorage's own copy), served by two processes."""
    import zodburi
    from ZODB.FileStorage import FileStorage

    with postgres.PrivateServer() as server:
        uri = server.create_database("portal")
        factory, _kw = zodburi.resolve_uri(uri)
        source, target = FileStorage(f"{folder}/portal.fs", read_only=True), factory()
        try:
            target.copyTransactionsFrom(source)
        finally:
            source.close()
            target.close()
        return serve(folder, [f"{uri}?blob_dir={folder}/pgcache-{n}&shared_blob_dir=false" for n in range(2)],
                     tokens, first)


def main():
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        tokens = prepare(folder)
        measured = [("1 process, FileStorage", serve(folder, [f"file://{folder}/portal.fs"], tokens, 0)),
                    ("2 processes over ZEO", over_zeo(folder, tokens, VOTES))]
        missing = postgres.unavailable()
        if missing is None:
            measured.append(("2 processes, RelStorage", over_relstorage(folder, tokens, 2 * VOTES)))
    for label, r in measured:
        lines.append(f"16 clients  {label:24} {VOTES} votes  rate={r['rate']:.1f}/s  p50={r['p50']:.1f}ms  "
                     f"p99={r['p99']:.1f}ms  non2xx={r['non2xx']}")
    single = measured[0][1]["rate"]
    for label, r in measured[1:]:
        lines.append(f"{label} / single rate ratio = {r['rate'] / single:.2f} (2 cores; clients share them)")
    if missing:
        lines.append(f"RelStorage not measured: {missing}")
    print(write_results("zeo.txt", "one process against two over ZEO and RelStorage", lines))


if __name__ == "__main__":
    main()
