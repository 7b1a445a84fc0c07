"""The scheduler thread of the server (``portal.scheduler = true``): on the embedded default the
serving process holds the only lock on the FileStorage, so what runs on time runs inside it.

Every ``interval`` seconds it runs the tick on its own connection with its own transaction
manager.  A daemon thread: it never keeps the process alive, and ``stop()`` (also called at
exit) ends it between two runs.  Its log lines name counts and paths, never people.
"""
import atexit
import logging
import threading

import transaction

from portal.catalog.due import run_due

log = logging.getLogger(__name__)

INTERVAL = 60


class Scheduler:
    def __init__(self, db, settings, interval=INTERVAL):
        self.db = db
        self.settings = settings
        self.interval = interval
        self._stopped = threading.Event()
        self.thread = None

    def step(self):
        """One run of the tick; its TickReport."""
        conn = self.db.open(transaction.TransactionManager(explicit=True))
        try:
            report = run_due(conn, self.settings)
        finally:
            conn.close()
        if report.due:
            log.info("scheduler: %d due, %d moved, %d transitions, %d left for the next run",
                     report.due, report.moved, report.transitions, report.failed)
        return report

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
