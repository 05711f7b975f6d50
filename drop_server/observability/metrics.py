"""Prometheus metrics of the application.

Workers are processes of their own: prometheus_client's multiprocess mode keeps each one's
values in files under PROMETHEUS_MULTIPROC_DIR (set by `drop serve` before it starts them), and
`drop serve` serves the sum on DROP_METRICS_PORT, with the job queue read from its tables at
scrape time. Without that variable (tests of one process) the values live in memory.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

RPCS = Counter(
    "drop_rpc_requests_total", "RPCs served, by method and outcome code", ["method", "code"]
)
RPC_SECONDS = Histogram(
    "drop_rpc_duration_seconds",
    "Time to serve an RPC, by method",
    ["method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAYMENTS = Counter(
    "drop_payments_total",
    "Payment requests by type and outcome (a status, or the error code answered)",
    ["type", "outcome"],
)
WEBHOOK_DELIVERIES = Counter(
    "drop_webhook_delivery_attempts_total",
    "Webhook delivery attempts by outcome: delivered, retry (another attempt queued), failed",
    ["outcome"],
)
POOL_CHECKED_OUT = Gauge(
    "drop_db_pool_checked_out",
    "Database connections checked out of the workers' pools",
    multiprocess_mode="livesum",
)
POOL_CAPACITY = Gauge(
    "drop_db_pool_capacity",
    "Connections the workers' pools may open (size + overflow)",
    multiprocess_mode="livesum",
)


def observe_pool(engine: Engine, capacity: int) -> None:
    POOL_CAPACITY.inc(capacity)

    @event.listens_for(engine, "checkout")
    def checked_out(*_: Any) -> None:
        POOL_CHECKED_OUT.inc()

    @event.listens_for(engine, "checkin")
    def checked_in(*_: Any) -> None:
        POOL_CHECKED_OUT.dec()


def prepare_multiprocess_dir(data_dir: Path) -> Path:
    """A fresh directory for this run's workers (values of an earlier run must not count)."""
    directory = data_dir / "metrics"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def forget_process(pid: int) -> None:
    """A worker that died: its live gauges stop counting (its counters stay in the sums)."""
    if os.environ.get(MULTIPROC_ENV):
        mark_process_dead(pid)


class QueueCollector(Collector):
    """Job queue depth and failures, read from the queue's tables when scraped."""

    def __init__(self, read: Callable[[], Any]) -> None:
        self._read = read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            stats = self._read()
        except Exception as error:  # a scrape must not fail because the database does
            log.warning("metrics: job queue not readable (%s)", type(error).__name__)
            return
        depth = GaugeMetricFamily(
            "drop_jobs_queue_depth", "Jobs waiting to run, by queue", labels=["queue"]
        )
        for queue, count in sorted(stats.depth.items()):
            depth.add_metric([queue], count)
        yield depth
        running = GaugeMetricFamily("drop_jobs_running", "Jobs running, by queue", labels=["queue"])
        for queue, count in sorted(stats.running.items()):
            running.add_metric([queue], count)
        yield running
        failed = GaugeMetricFamily(
            "drop_jobs_failed",
            "Jobs failed after their last retry (kept a week), by task",
            labels=["task"],
        )
        for task, count in sorted(stats.failed.items()):
            failed.add_metric([task], count)
        yield failed


def serve_metrics(host: str, port: int, queue_stats: Callable[[], Any] | None) -> object | None:
    """/metrics of every process of this instance. A port in use is logged, not fatal."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)
    if queue_stats is not None:
        registry.register(QueueCollector(queue_stats))
    try:
        server, _ = start_http_server(port, addr=host, registry=registry)
    except OSError as error:
        log.error("metrics: cannot listen on %s:%s (%s)", host, port, error)
        return None
    return server
