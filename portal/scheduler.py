"""The scheduler thread of the server (``portal.scheduler = true``): on the embedded default the
serving process holds the only lock on the FileStorage, so what runs on time runs inside it.

Every ``interval`` seconds it runs each periodic job on its own connection with its own
transaction manager: the packages register their jobs in their ``includeme``
(``config.add_periodic_job(name, job)``; ``job(conn, registry)`` returns a short report), so the
catalog's tick, the message queue and the expiry of personal data all run on time.  A daemon thread: it never keeps the process alive, and ``stop()`` (also called at
exit) ends it between two runs.  Its log lines name counts and paths, never people.
"""
import atexit
import logging
import threading
import time

import transaction

log = logging.getLogger(__name__)

INTERVAL = 60


class Scheduler:
    def __init__(self, db, registry, interval=INTERVAL):
        self.db = db
        self.registry = registry
        self.interval = interval
        self._stopped = threading.Event()
        self.thread = None
        self.seconds = {}           # job name -> how long its last run took

    def step(self):
        """One run of every periodic job: {job name: its report}.  A job that fails is logged (by
        kind only) and the others still run."""
        from pyramid.threadlocal import manager

        manager.push({"registry": self.registry, "request": None})   # events reach the app's subscribers
        try:
            return self._step()
        finally:
            manager.pop()

    def _step(self):
        reports = {}
        for name, job in self.registry.periodic_jobs:
            conn = self.db.open(transaction.TransactionManager(explicit=True))
            started = time.perf_counter()
            try:
                reports[name] = job(conn, self.registry)
            except Exception as error:      # keep the others going; the next run tries again
                log.error("scheduler: %s failed (%s)", name, type(error).__name__)
            finally:
                conn.close()
                self.seconds[name] = time.perf_counter() - started
        log.debug("scheduler: %s", reports)
        return reports

    def run(self):
        while not self._stopped.is_set():
            try:
                self.step()
            except Exception as error:      # keep ticking; the next run tries again
                log.error("scheduler: run failed (%s)", type(error).__name__)
            self._stopped.wait(self.interval)

    def start(self):
        self.thread = threading.Thread(target=self.run, name="portal-scheduler", daemon=True)
        self.thread.start()
        atexit.register(self.stop)
        return self

    def stop(self, timeout=5):
        self._stopped.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout)


def add_periodic_job(config, name, job):
    def register():
        config.registry.periodic_jobs.append((name, job))

    config.action(("portal.periodic_job", name), register)


STARTING = threading.Lock()


def start_scheduler(event):
    """With ``portal.scheduler = true`` the serving process runs the periodic jobs itself, from its
    first request on: console scripts, which make the same application but serve no request, never
    start one beside their own work."""
    registry = event.request.registry
    if registry.scheduler is not None or not registry.scheduler_wanted:
        return
    with STARTING:
        if registry.scheduler is None:
            registry.scheduler = Scheduler(registry._zodb_databases[""], registry).start()


def includeme(config):
    from pyramid.events import NewRequest

    from portal.settings import flag

    config.registry.periodic_jobs = []
    config.registry.scheduler = None
    config.registry.scheduler_wanted = flag(config.registry.settings, "scheduler")
    config.add_directive("add_periodic_job", add_periodic_job)
    config.add_subscriber(start_scheduler, NewRequest)
