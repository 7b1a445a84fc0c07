"""``make bench`` (notifications): "voting opens" for a 10,000-owner community, queued in the
transition's transaction and drained by ``portal-notify`` (its own process) against the WeChat and
SMS stand-ins (a server process of their own), over ZEO; messages per second, and the vote path's
rate (an application process, 8 clients) without and with the drain running, in the same run.
Written to bench-results/notify.txt."""
import datetime
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import standin_server
from bench.benchkit import call, load, write_results
from tests.support import loopback

UNITS = 10_000
VOTERS = 2_400              # bound owners, linked to a WeChat that follows the official account
VOTES = 600                 # per measurement
CHOICES = {"m1": "agree", "m2": "oppose", "m3": "abstain"}


def build(folder, standin_port):
    """A FileStorage with the demo city and a 10,000-unit community whose ballot opens voting now."""
    from portal import clock, demo, main as make_app
    from portal.ballots import lifecycle, services
    from portal.bootstrap import ROOT_KEY
    from portal.notify import links, queue
    from portal.notify.models import store_of
    from portal.register import importer
    from portal.register import services as register_services
    from portal.register.generator import as_csv, community_rows
    from portal.standins.wechat import openid_of
    from tests.conftest import current
    from tests.support.loopback import bind_voters

    settings = dict(standin_server.settings(standin_port), **{
        "zodbconn.uri": f"file://{folder}/portal.fs", "retry.attempts": "10",
        "tm.manager_hook": "pyramid_tm.explicit_manager", "portal.secret": "bench", "portal.id_key": "bench-id"})
    app = make_app({}, **settings)
    db, personal = app.registry._zodb_databases[""], app.registry.personal_data
    now = clock.now()
    with current(app.registry):
        with db.transaction() as conn:
            portal = conn.root()[ROOT_KEY]
            demo.build(portal)
            community = portal["tianhe"]["shipai"]["qiaoyuan"]
            register = community["register"]
            prepared = importer.prepare("b.csv", as_csv(community_rows(UNITS, seed=7)), personal)
            importer.apply(register, prepared.units)
            register_services.refresh(register, now)
            tokens = bind_voters(portal, community, VOTERS, app.registry.portal_tokens, now)
            store = store_of(portal)
            for n in range(VOTERS):
                account = portal.accounts.by_login(f"voter{n}")
                openid = openid_of(standin_server.APP_ID, f"voter{n}")
                links.link(store, personal, account.uid, openid)
                links.set_following(store, personal, openid, True, now)
            today = now.date()
            ballot = services.create(community["ballots"], {
                "title": "通知压测", "start_date": today, "end_date": today + datetime.timedelta(days=5),
                "matters": [{"title": t, "text": t, "category": c} for t, c in (("a", 1), ("b", 4), ("c", 6))]},
                "", now)
            ballot.state = "voting"
            lifecycle.freeze_electorate(ballot, now)
            from portal.voting.service import box_of

            box_of(ballot)
            path = "/tianhe/shipai/qiaoyuan/ballots/" + ballot.__name__
        with db.transaction() as conn:        # "voting opens": queued in one transaction, timed
            portal = conn.root()[ROOT_KEY]
            ballot = portal["tianhe"]["shipai"]["qiaoyuan"]["ballots"][path.rsplit("/", 1)[1]]
            started = time.perf_counter()
            queued = queue.enqueue(portal, ballot, "voting", clock.now())
            enqueue_seconds = time.perf_counter() - started
    db.close()
    openids = [openid_of(standin_server.APP_ID, f"voter{n}") for n in range(VOTERS)]
    return settings, tokens, path, queued, enqueue_seconds, openids


def control(port, orders=None):
    data = json.dumps(orders).encode() if orders is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}/_control", data=data,
                                     method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def sms_count(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sms/_count", timeout=30) as response:
        return int(response.read())


def votes(port, path, tokens, first):
    def send(i):
        status, seconds, _ = call(port, "POST", path + "/@vote", {"votes": CHOICES}, {
            "Content-Type": "application/json", "Accept": "application/json", "Authorization": "Bearer " + tokens[i]})
        return status, seconds

    measured = load(8, list(range(first, first + VOTES)), send)
    measured["non2xx"] = sum(1 for _i, s in measured["results"] if s != 200)
    return measured


def main():
    with tempfile.TemporaryDirectory() as folder:
        standin_port, zeo_port, app_port = loopback.free_port(), loopback.free_port(), loopback.free_port()
        standin = subprocess.Popen([str(loopback.BIN / "python"), "-m", "bench.standin_server", str(standin_port)],
                                   env=loopback.environment(), **loopback.QUIET)
        processes = [standin]
        try:
            settings, tokens, path, queued, enqueue_seconds, openids = build(folder, standin_port)
            for _ in range(100):
                try:
                    control(standin_port, {"follow": openids})
                    break
                except OSError:
                    time.sleep(0.1)
            conf = Path(folder) / "zeo.conf"
            conf.write_text(f"<zeo>\n  address 127.0.0.1:{zeo_port}\n</zeo>\n<filestorage>\n"
                            f"  path {folder}/portal.fs\n</filestorage>\n")
            processes.append(loopback.start_zeo(conf))
            time.sleep(1)
            uri = f"zeo://127.0.0.1:{zeo_port}?blob_dir={folder}/cache-app&shared_blob_dir=false"
            app_settings = {k[len("portal."):]: v for k, v in settings.items() if k.startswith("portal.")
                            and k not in ("portal.secret", "portal.id_key")}
            ini = loopback.write_ini(folder, uri, app_port, "bench", "bench-id", **app_settings)
            processes.append(loopback.start(ini))
            loopback.wait_for(app_port)
            alone = votes(app_port, path, tokens, 0)
            drain_ini = loopback.write_ini(folder, uri.replace("cache-app", "cache-drain"), loopback.free_port(),
                                           "bench", "bench-id", **app_settings)
            started = time.perf_counter()
            drain = subprocess.Popen([str(loopback.BIN / "portal-notify"), str(drain_ini), "--batch", "200",
                                      "--rate", "wechat=100000", "--rate", "sms=100000"],
                                     env=loopback.environment(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
            processes.append(drain)
            with_drain = votes(app_port, path, tokens, VOTES)
            drain_running_at_end = drain.poll() is None
            output, _ = drain.communicate(timeout=1800)
            drain_seconds = time.perf_counter() - started
            delivered = control(standin_port)["delivered"], sms_count(standin_port)
        finally:
            loopback.stop(processes)
    sent = sum(delivered)
    lines = [
        f"community: {UNITS} units, {queued} owner groups; {VOTERS} bound with a followed WeChat",
        f"enqueue 'voting opens': {queued} messages in one transaction, {enqueue_seconds:.2f} s "
        f"({queued / enqueue_seconds:.0f} messages/s)",
        f"drain (portal-notify, one process, batch 200, over ZEO, rate limits lifted): "
        f"{sent} sent ({delivered[0]} WeChat, {delivered[1]} SMS; the rest have no phone or WeChat and are "
        f"recorded unreachable) in {drain_seconds:.1f} s = {sent / drain_seconds:.0f} messages/s; "
        f"its output: {output.strip().splitlines()[-1] if output.strip() else '-'}",
        f"vote path alone:        8 clients {VOTES} votes rate={alone['rate']:.1f}/s p50={alone['p50']:.1f}ms "
        f"p99={alone['p99']:.1f}ms non2xx={alone['non2xx']}",
        f"vote path during drain: 8 clients {VOTES} votes rate={with_drain['rate']:.1f}/s "
        f"p50={with_drain['p50']:.1f}ms p99={with_drain['p99']:.1f}ms non2xx={with_drain['non2xx']} "
        f"(drain still running when the votes ended: {drain_running_at_end})",
        f"vote rate ratio during drain / alone = {with_drain['rate'] / alone['rate']:.2f} "
        f"(2 cores shared by the app, ZEO, the drain, the stand-ins and the clients)",
    ]
    print(write_results("notify.txt", "notifications: enqueue and drain 'voting opens', vote path beside", lines))


if __name__ == "__main__":
    main()
