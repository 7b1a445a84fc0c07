"""More than one process: a ZEO server and two application processes on loopback.  A vote cast
through one process is seen in the progress read through the other."""
import pytest

from portal.scripts import loopback
from portal.scripts.loopback import DEMO_BALLOT, api


def serve_two(tmp_path, uri_for_port, processes):
    """portal-init --demo, then two application processes on ``uri_for_port(port)``; their ports."""
    ports = [loopback.free_port(), loopback.free_port()]
    inis = [loopback.write_ini(tmp_path, uri_for_port(port), port, "two-process-secret", "two-process-key",
                               clock_override="true", outbox_file=f"{tmp_path}/outbox.jsonl") for port in ports]
    loopback.init(inis[0], "--demo")
    for ini in inis:
        processes.append(loopback.start(ini))
    for port in ports:
        loopback.wait_for(port)
    return ports


def vote_through_one_read_through_other(first, second):
    assert api(first, "GET", "/@health")[1]["database"] == "ok"
    admin = api(first, "POST", "/@login", {"login": "admin", "password": "admin-demo"})[1]["token"]
    opens = api(second, "GET", DEMO_BALLOT, token=admin)[1]["opens"]
    api(first, "POST", "/@clock", {"now": opens}, token=admin)       # the demo clock, kept in ZODB
    owner = api(second, "POST", "/@login", {"login": "owner1", "password": "owner1-demo"})[1]["token"]
    assert api(second, "GET", DEMO_BALLOT + "/@progress", token=owner)[1]["voted_owners"] == 0
    status, answer = api(first, "POST", DEMO_BALLOT + "/@vote",
                         {"votes": {"m1": "agree", "m2": "agree", "m3": "abstain"}}, token=owner)
    assert status == 200
    assert api(second, "GET", DEMO_BALLOT + "/@progress", token=owner)[1]["voted_owners"] == 1
    checked = api(second, "GET", f"{DEMO_BALLOT}/@receipt?code={answer['receipt']}", token=owner)[1]
    assert checked["matters"]["m1"] == "agree"


@pytest.fixture
def zeo_cluster(tmp_path):
    zeo_port = loopback.free_port()
    conf = tmp_path / "zeo.conf"
    conf.write_text(f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n  path {tmp_path}/Data.fs\n"
                    f"  blob-dir {tmp_path}/blobs\n</filestorage>\n")
    processes = [loopback.start_zeo(conf)]
    try:
        yield serve_two(tmp_path, lambda port: f"zeo://127.0.0.1:{zeo_port}?blob_dir={tmp_path}/cache-{port}"
                        "&shared_blob_dir=false", processes)
    finally:
        loopback.stop(processes)


def test_a_vote_through_one_process_shows_in_the_progress_read_through_the_other(zeo_cluster):
    vote_through_one_read_through_other(*zeo_cluster)
