"""The queue and its tasks. (A periodic task is given the `timestamp` of its tick.)

A task is a plain function of the services layer wrapped here; it gets the process's
`Database` and bank from `context`. To add background work: write the service function, add a
task below with `@app.task(queue=..., retry=RETRY, ...)`, and defer it (`task.defer(...)` from
a job, or `defer(...)` below from request code) or give it a schedule in `schedules.py`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import procrastinate
import procrastinate.exceptions
import procrastinate.jobs

from drop_server.domain import webhooks
from drop_server.jobs import context

log = logging.getLogger(__name__)

# Queues: money work apart from upkeep, so a slow clean-up never delays settlement.
SETTLEMENT_QUEUE = "settlement"
UPKEEP_QUEUE = "upkeep"
QUEUES = (SETTLEMENT_QUEUE, UPKEEP_QUEUE)
# Webhook deliveries wait on other people's servers (up to 10 s each): their own queue, run by
# a worker of their own in the jobs process (jobs/worker.py), so they never hold up the above.
WEBHOOKS_QUEUE = webhooks.DELIVERY_QUEUE

# A failed attempt is retried five times, after 2, 4, 8, 16 and 32 s; then the job is `failed`
# (kept a week, visible in `drop jobs` and in the metrics) and the next scheduled run starts
# afresh.
RETRY = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=2)
# A jobs worker writes a heartbeat every HEARTBEAT_SECONDS; one silent for STALLED_SECONDS is
# taken for dead (kill -9, a lost host) and its running job is put back in the queue.
HEARTBEAT_SECONDS = 2.0
STALLED_SECONDS = 10.0

# The real connector is put in when a process opens the queue (`connected` below).
app = procrastinate.App(connector=procrastinate.PsycopgConnector())


@app.task(
    name="drop.sandbox_clearing",
    queue=SETTLEMENT_QUEUE,
    retry=RETRY,
    # One clearing at a time across every instance, and never a backlog of them.
    lock="sandbox_clearing",
    queueing_lock="sandbox_clearing",
)
def sandbox_clearing(timestamp: int = 0) -> int:
    from drop_server.services.clearing import clear_once

    scope = context.current()
    if scope.sandbox_bank is None or scope.settings.sandbox_settle_seconds <= 0:
        return 0
    delay = timedelta(seconds=scope.settings.sandbox_settle_seconds)
    return clear_once(scope.db, scope.sandbox_bank, delay)


@app.task(
    name="drop.reconcile_payments",
    queue=SETTLEMENT_QUEUE,
    retry=RETRY,
    lock="reconcile_payments",
    queueing_lock="reconcile_payments",
)
def reconcile_payments(timestamp: int = 0) -> int:
    from drop_server.services.reconciliation import resolve_open_payments

    scope = context.current()
    after = timedelta(seconds=scope.settings.reconcile_after_seconds)
    resolved = resolve_open_payments(scope.db, scope.bank, after)
    return resolved.intents + resolved.settled


@app.task(
    name="drop.ledger_check",
    queue=UPKEEP_QUEUE,
    retry=RETRY,
    lock="ledger_check",
    queueing_lock="ledger_check",
)
def ledger_check(timestamp: int = 0) -> int:
    from drop_server.services.reconciliation import report_ledger

    scope = context.current()
    return len(report_ledger(scope.db, scope.bank))


@app.task(
    name="drop.housekeeping",
    queue=UPKEEP_QUEUE,
    retry=RETRY,
    lock="housekeeping",
    queueing_lock="housekeeping",
)
def housekeeping(timestamp: int = 0) -> int:
    from datetime import UTC, datetime

    from drop_server.jobs.retention import purge_finished_jobs
    from drop_server.services.housekeeping import purge_expired

    db = context.current().db
    return purge_expired(db) + purge_finished_jobs(db, datetime.now(UTC))


@app.task(name="drop.retry_stalled_jobs", queue=UPKEEP_QUEUE, queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int = 0) -> int:
    """A job whose worker died (kill -9, a lost host: no heartbeat for STALLED_SECONDS) is put
    back in the queue, which also frees its lock for the next run of that task."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS)
    count = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except procrastinate.exceptions.UniqueViolation:
            # A job of the same queueing lock already waits (a periodic task's next tick):
            # that one does the work, so the stalled one is closed as failed. Left `doing`, it
            # would hold its task's lock and no run of that task could ever start again.
            await app.job_manager.finish_job(
                job, status=procrastinate.jobs.Status.FAILED, delete_job=False
            )
        count += 1
    if count:
        log.warning("retried %d job(s) whose worker stopped answering", count)
    return count


@app.task(name=webhooks.DELIVERY_TASK, queue=WEBHOOKS_QUEUE, retry=RETRY)
def deliver_webhook(delivery_id: str, attempt: int = 0) -> str:
    """One attempt of a webhook delivery; the next attempt (README "Webhooks": 1 min to 8 h)
    is its own job, deferred by the attempt. RETRY only covers this job failing outright (the
    database unavailable): an attempt already recorded is never made twice."""
    from drop_server.services.webhook_delivery import deliver

    scope = context.current()
    return deliver(scope.db, scope.settings, delivery_id, attempt)
