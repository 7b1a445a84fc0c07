"""Two application processes over one shared storage (ZEO or RelStorage), and the check that a
vote through one is seen through the other."""
from tests.support import loopback
from tests.support.loopback import DEMO_BALLOT, api

SECRET = "two-process-secret"


def serve_two(tmp_path, uri_for_port, processes):
    """portal-init --demo, then two application processes on ``uri_for_port(port)``; their ports."""
    ports = [loopback.free_port(), loopback.free_port()]
    inis = [loopback.write_ini(tmp_path, uri_for_port(port), port, SECRET, "two-process-key",
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
