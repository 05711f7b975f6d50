"""When the periodic jobs run. Every instance's jobs worker runs the same schedule, and the
queue defers each tick once (procrastinate records every (task, tick) it deferred), so N
instances still run each tick once."""

from __future__ import annotations

from dataclasses import dataclass

from drop_server.config import Settings
from drop_server.jobs import app as jobs

HOUSEKEEPING_CRON = "*/10 * * * *"
LEDGER_CHECK_CRON = "*/5 * * * *"


@dataclass(frozen=True)
class Schedule:
    task: str
    cron: str


def every_seconds(seconds: float) -> str:
    """A cron with a seconds field (croniter's sixth): every `seconds`, at least every second."""
    step = max(1, min(59, round(seconds)))
    return "* * * * * *" if step == 1 else f"* * * * * */{step}"


def schedules(settings: Settings, *, sandbox_bank: bool) -> list[Schedule]:
    planned = [
        Schedule(jobs.reconcile_payments.name, every_seconds(settings.reconcile_interval_seconds)),
        Schedule(jobs.ledger_check.name, LEDGER_CHECK_CRON),
        Schedule(jobs.housekeeping.name, HOUSEKEEPING_CRON),
        Schedule(jobs.retry_stalled_jobs.name, every_seconds(5)),
    ]
    if sandbox_bank and settings.sandbox_settle_seconds > 0:
        planned.append(Schedule(jobs.sandbox_clearing.name, every_seconds(1)))
    return planned


def register(settings: Settings, *, sandbox_bank: bool) -> list[Schedule]:
    planned = schedules(settings, sandbox_bank=sandbox_bank)
    for schedule in planned:
        task = jobs.app.tasks[schedule.task]
        jobs.app.periodic(cron=schedule.cron, periodic_id=schedule.task)(task)
    return planned
