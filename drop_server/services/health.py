"""The health probe: is the database reachable, and how quickly."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from drop_server.db.engine import Database

log = logging.getLogger(__name__)
STARTED = time.monotonic()


@dataclass(frozen=True)
class HealthReport:
    database_ok: bool
    latency_ms: int | None
    uptime_seconds: float


def check_health(db: Database) -> HealthReport:
    started = time.perf_counter()
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        log.debug("health: database unreachable (%s)", type(exc).__name__)
        return HealthReport(False, None, time.monotonic() - STARTED)
    latency = round((time.perf_counter() - started) * 1000)
    return HealthReport(True, latency, time.monotonic() - STARTED)


class HealthMonitor:
    """Checks the database in the background with a connection of its own, so that a health
    answer never waits on the database or on the request pool: it reads the latest result.

    The database counts as up only if a check succeeded within `fresh_seconds`; a check stuck
    on a partitioned network therefore turns health to down instead of hiding the fault."""

    def __init__(
        self, db: Database, *, interval_seconds: float = 0.5, fresh_seconds: float = 2.0
    ) -> None:
        self._db = db
        self._interval = interval_seconds
        self._fresh = fresh_seconds
        self._last_ok_at: float | None = None
        self._up = True
        self._latency_ms: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health-monitor", daemon=True)

    def start(self) -> HealthMonitor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            report = check_health(self._db)
            if report.database_ok:
                # Two plain attribute writes; a reader may see the old latency with the new
                # time, which is harmless for a health report.
                self._latency_ms = report.latency_ms
                self._last_ok_at = time.monotonic()
                if not self._up:
                    log.warning("health: the database answers")
            else:
                self._last_ok_at = None
                if self._up:
                    log.warning("health: the database does not answer")
            self._up = report.database_ok
            self._stop.wait(self._interval)

    def report(self) -> HealthReport:
        last_ok = self._last_ok_at
        uptime = time.monotonic() - STARTED
        if last_ok is None or time.monotonic() - last_ok > self._fresh:
            return HealthReport(False, None, uptime)
        return HealthReport(True, self._latency_ms, uptime)
