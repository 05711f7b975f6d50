"""The job queue in one process against a database of its own: retries with backoff until the
failure is kept and visible, a dead worker's job is put back and runs, finished jobs are kept
for a while and then purged, and the schedule follows the settings."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import procrastinate
import pytest
from sqlalchemy import text

from drop_server.config import load_settings
from drop_server.db.engine import Database
from drop_server.jobs import app as jobs
from drop_server.jobs import schedules
from drop_server.jobs.retention import KEEP_SUCCEEDED, purge_finished_jobs
from drop_server.jobs.stats import queue_stats
from tests.support.databases import fresh_database

ran: list[str] = []


@jobs.app.task(name="tests.always_fails", queue=jobs.UPKEEP_QUEUE, retry=jobs.RETRY)
def always_fails() -> None:
    raise RuntimeError("the bank is not answering")


@jobs.app.task(name="tests.records_run", queue=jobs.UPKEEP_QUEUE)
def records_run(mark: str) -> None:
    ran.append(mark)


@pytest.fixture(scope="module")
def url(postgres_url: str) -> str:
    return fresh_database(postgres_url, "jobs")


@pytest.fixture
def db(url: str) -> Iterator[Database]:
    database = Database(url, pool_size=2)
    with database.transaction() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))
        session.execute(text("DELETE FROM procrastinate_workers"))
    yield database
    database.dispose()


def work_off(url: str, *deferred: procrastinate.tasks.Task) -> None:  # type: ignore[type-arg]
    """Defers the given tasks, then runs a worker until no job is due (wait=False)."""

    async def main() -> None:
        with jobs.app.replace_connector(procrastinate.PsycopgConnector(conninfo=url)):
            async with jobs.app.open_async():
                for task in deferred:
                    await task.defer_async()
                await jobs.app.run_worker_async(
                    queues=list(jobs.QUEUES),
                    wait=False,
                    install_signal_handlers=False,
                    delete_jobs="never",
                    concurrency=1,
                )

    asyncio.run(main())


def job_row(db: Database, task: str) -> tuple[str, int, float]:
    with db.transaction() as session:
        status, attempts, wait = session.execute(
            text(
                "SELECT status::text, attempts,"
                " extract(epoch FROM coalesce(scheduled_at, now()) - now())"
                " FROM procrastinate_jobs WHERE task_name = :task"
            ),
            {"task": task},
        ).one()
    return str(status), int(attempts), float(wait)


def make_due(db: Database, task: str) -> None:
    """Time passing, without waiting for it: the retry is due now."""
    with db.transaction() as session:
        session.execute(
            text("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name = :task"),
            {"task": task},
        )


def test_a_failing_job_is_retried_with_growing_waits_then_kept_as_failed(
    url: str, db: Database
) -> None:
    work_off(url, always_fails)
    waits = []
    for _ in range(jobs.RETRY.max_attempts):
        status, attempts, wait = job_row(db, "tests.always_fails")
        assert status == "todo"
        waits.append(wait)
        make_due(db, "tests.always_fails")
        work_off(url)
    status, attempts, _ = job_row(db, "tests.always_fails")
    # The first attempt and five retries.
    assert (status, attempts) == ("failed", jobs.RETRY.max_attempts + 1)
    # Exponential backoff: about 2, 4, 8, 16 and 32 seconds.
    assert [round(w) for w in waits] == [2, 4, 8, 16, 32], waits
    stats = queue_stats(db)
    assert stats.failed == {"tests.always_fails": 1}
    assert stats.depth == {}


def test_the_job_of_a_dead_worker_is_put_back_and_runs(url: str, db: Database) -> None:
    ran.clear()
    with db.transaction() as session:
        worker = session.execute(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat)"
                " VALUES (now() - interval '1 hour') RETURNING id"
            )
        ).scalar_one()
        session.execute(
            text(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, args, status,"
                " worker_id, attempts) VALUES ('upkeep', 'tests.records_run', 'tests',"
                " '{\"mark\": \"interrupted\"}', 'doing', :worker, 1)"
            ),
            {"worker": worker},
        )
    assert queue_stats(db).running == {"upkeep": 1}
    # The recovery job puts it back; the same worker run then carries it out.
    work_off(url, jobs.retry_stalled_jobs)
    make_due(db, "tests.records_run")
    work_off(url)
    assert ran == ["interrupted"]
    assert job_row(db, "tests.records_run")[0] == "succeeded"


def test_a_dead_workers_periodic_job_whose_next_tick_waits_frees_its_lock(
    url: str, db: Database
) -> None:
    """The stalled job cannot go back (its queueing lock is taken by the next tick, already
    waiting): it is closed as failed, which frees its task's lock, and the waiting job runs."""
    ran.clear()
    with db.transaction() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))
        worker = session.execute(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat)"
                " VALUES (now() - interval '1 hour') RETURNING id"
            )
        ).scalar_one()
        session.execute(
            text(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, queueing_lock,"
                " args, status, worker_id, attempts) VALUES ('upkeep', 'tests.records_run',"
                " 'tick', 'tick', '{\"mark\": \"stalled\"}', 'doing', :worker, 1)"
            ),
            {"worker": worker},
        )
        session.execute(
            text(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, queueing_lock,"
                " args, status) VALUES ('upkeep', 'tests.records_run', 'tick', 'tick',"
                " '{\"mark\": \"next tick\"}', 'todo')"
            )
        )
    work_off(url, jobs.retry_stalled_jobs)
    with db.transaction() as session:
        states = dict(
            session.execute(
                text(
                    "SELECT args->>'mark', status::text FROM procrastinate_jobs"
                    " WHERE task_name = 'tests.records_run'"
                )
            ).all()
        )
    assert states == {"stalled": "failed", "next tick": "succeeded"}
    assert ran == ["next tick"]


def test_finished_jobs_are_kept_an_hour_then_purged(url: str, db: Database) -> None:
    ran.clear()
    work_off(url, records_run.configure(task_kwargs={"mark": "kept"}))  # type: ignore[arg-type]
    assert queue_stats(db).succeeded == {"tests.records_run": 1}
    now = datetime.now(UTC)
    assert purge_finished_jobs(db, now) == 0
    assert purge_finished_jobs(db, now + KEEP_SUCCEEDED + timedelta(seconds=1)) == 1
    assert queue_stats(db).succeeded == {}


def test_the_schedule_follows_the_settings() -> None:
    settings = load_settings({"DROP_SANDBOX_SETTLE_SECONDS": "20"})
    planned = {s.task: s.cron for s in schedules.schedules(settings, sandbox_bank=True)}
    assert planned["drop.sandbox_clearing"] == "* * * * * *"
    assert planned["drop.reconcile_payments"] == "* * * * * */5"
    assert planned["drop.retry_stalled_jobs"] == "* * * * * */5"
    assert "drop.sandbox_clearing" not in {
        s.task for s in schedules.schedules(settings, sandbox_bank=False)
    }
    off = load_settings({"DROP_SANDBOX_SETTLE_SECONDS": "0"})
    assert "drop.sandbox_clearing" not in {
        s.task for s in schedules.schedules(off, sandbox_bank=True)
    }
