"""HealthService (the REST health route) and the standard grpc.health.v1 service."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import grpc
from grpc_health.v1 import health, health_pb2

from drop.v1 import health_pb2 as drop_health_pb2
from drop.v1 import health_pb2_grpc
from drop_server import __version__
from drop_server.api.call import current_call
from drop_server.api.convert import timestamp
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.services.health import HealthMonitor, HealthReport, check_health

DRIVER = "pg"
PROBE_INTERVAL_SECONDS = 0.5


class HealthServicer(health_pb2_grpc.HealthServiceServicer):
    def __init__(
        self, settings: Settings, db: Database, monitor: HealthMonitor | None = None
    ) -> None:
        self._settings = settings
        self._db = db
        self._monitor = monitor

    def _report(self) -> HealthReport:
        # A worker reads its monitor (never waits on the database); without one, check now.
        return self._monitor.report() if self._monitor is not None else check_health(self._db)

    def GetHealth(
        self, request: drop_health_pb2.GetHealthRequest, context: grpc.ServicerContext
    ) -> drop_health_pb2.GetHealthResponse:
        report = self._report()
        database = drop_health_pb2.DatabaseCheck(status="pass" if report.database_ok else "fail")
        if report.database_ok:
            database.latency_ms = report.latency_ms or 0
            database.driver = DRIVER
        else:
            current_call().respond_with_status(503)
        return drop_health_pb2.GetHealthResponse(
            data=drop_health_pb2.Health(
                status="ok" if report.database_ok else "down",
                version=__version__,
                uptime=round(report.uptime_seconds, 3),
                checks=drop_health_pb2.HealthChecks(
                    db=database,
                    services=drop_health_pb2.ServicesCheck(mode=self._settings.mode.value),
                ),
                timestamp=timestamp(datetime.now(UTC)),
            )
        )


def standard_health(
    monitor: HealthMonitor, service_names: list[str], stop: threading.Event
) -> health.HealthServicer:
    """grpc.health.v1 answers SERVING while the database answers, NOT_SERVING otherwise."""
    servicer = health.HealthServicer()

    def probe() -> None:
        while True:
            ok = monitor.report().database_ok
            status = (
                health_pb2.HealthCheckResponse.SERVING
                if ok
                else health_pb2.HealthCheckResponse.NOT_SERVING
            )
            for name in ["", *service_names]:
                servicer.set(name, status)
            if stop.wait(PROBE_INTERVAL_SECONDS):
                return

    threading.Thread(target=probe, name="health-probe", daemon=True).start()
    return servicer
