"""The health probe: is the database reachable, and how quickly."""

from __future__ import annotations

import logging
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
        log.warning("health: database unreachable (%s)", type(exc).__name__)
        return HealthReport(False, None, time.monotonic() - STARTED)
    latency = round((time.perf_counter() - started) * 1000)
    return HealthReport(True, latency, time.monotonic() - STARTED)
