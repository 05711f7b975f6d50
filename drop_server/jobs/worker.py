"""The jobs worker process (`drop serve` starts it for the `jobs` and `all` roles)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading

import procrastinate
from procrastinate import signals
from procrastinate.worker import Worker

from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.jobs import app as jobs
from drop_server.jobs import context, schedules
from drop_server.process_lifetime import die_with_parent
from drop_server.providers import configured_bank
from drop_server.providers.sandbox_bank import SandboxBank

log = logging.getLogger("drop.jobs")

# Jobs run at once per worker process; the tasks are short database work.
CONCURRENCY = 2
# Webhook deliveries at once per process, beside those: each may wait 10 s on a receiver.
WEBHOOK_CONCURRENCY = 4
# On SIGTERM a running job gets this long to finish; an interrupted one is retried later
# (every task is safe to run again: each step locks its row and checks its state).
GRACEFUL_STOP_SECONDS = 4.0
# After a stop signal the process exits at the latest this long after the graceful timeout.
HARD_STOP_MARGIN_SECONDS = 1.5


def run_jobs_worker(settings: Settings, database_url: str) -> None:
    supervisor = os.environ.get("DROP_SUPERVISOR_PID")
    if supervisor is not None:
        die_with_parent(int(supervisor))
    if logging.getLogger().level > logging.DEBUG:
        # One line per job start and end is noise at INFO; failures still show.
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
    db = Database(database_url, pool_size=CONCURRENCY + WEBHOOK_CONCURRENCY + 1)
    bank = configured_bank(settings, db)
    context.install(context.JobScope(settings=settings, db=db, bank=bank))
    planned = schedules.register(settings, sandbox_bank=isinstance(bank, SandboxBank))
    log.info("jobs worker: %s", ", ".join(f"{s.task} ({s.cron})" for s in planned))
    connector = procrastinate.PsycopgConnector(conninfo=database_url)
    try:
        with jobs.app.replace_connector(connector):
            name = f"{socket.gethostname()}-{os.getpid()}"
            asyncio.run(_run_workers(name, settings.webhook_retry_base_seconds))
    finally:
        db.dispose()


async def _run_workers(name: str, retry_base_seconds: float) -> None:
    """Two workers in one process and one connection pool: settlement and upkeep, and the
    webhook deliveries with a concurrency of their own; one stop signal ends both."""
    common = {
        # Kept for an hour (jobs/retention.py): the queue can be watched.
        "delete_jobs": "never",
        "install_signal_handlers": False,
        "shutdown_graceful_timeout": GRACEFUL_STOP_SECONDS,
        "update_heartbeat_interval": jobs.HEARTBEAT_SECONDS,
        "stalled_worker_timeout": jobs.STALLED_SECONDS,
    }
    workers = [
        Worker(
            app=jobs.app, queues=list(jobs.QUEUES), name=name, concurrency=CONCURRENCY, **common
        ),
        Worker(
            app=jobs.app,
            queues=[jobs.WEBHOOKS_QUEUE],
            name=f"{name}-webhooks",
            concurrency=WEBHOOK_CONCURRENCY,
            # A retry is a job scheduled for later, found by polling: poll often enough for
            # the retry schedule (5 s, procrastinate's default, unless retries are faster).
            fetch_job_polling_interval=min(5.0, max(0.2, retry_base_seconds / 2)),
            **common,
        ),
    ]

    def stop() -> None:
        for worker in workers:
            worker.stop()
        # Stopping waits on the database (the workers' last writes, the pool); when it is gone
        # (kill -9 of `drop serve` takes the embedded PostgreSQL too) the process still ends.
        deadline = threading.Timer(GRACEFUL_STOP_SECONDS + HARD_STOP_MARGIN_SECONDS, os._exit, (0,))
        deadline.daemon = True
        deadline.start()

    async with jobs.app.open_async():
        with signals.on_stop(stop):
            await asyncio.gather(*(worker.run() for worker in workers))
