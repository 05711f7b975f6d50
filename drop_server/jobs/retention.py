"""Finished jobs are kept a while so the queue can be watched (`drop jobs`, metrics, and the
tests that check each job ran once), then deleted by housekeeping."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from drop_server.db.engine import Database

KEEP_SUCCEEDED = timedelta(hours=1)
# Failures stay longer: somebody should look at them.
KEEP_FAILED = timedelta(days=7)


def purge_finished_jobs(db: Database, now: datetime) -> int:
    with db.transaction() as session:
        result = session.execute(
            text(
                "DELETE FROM procrastinate_jobs j WHERE"
                " (j.status IN ('succeeded', 'cancelled', 'aborted') AND j.id IN"
                "   (SELECT job_id FROM procrastinate_events WHERE type IN"
                "    ('succeeded', 'cancelled', 'aborted') AND at < :succeeded_before))"
                " OR (j.status = 'failed' AND j.id IN"
                "   (SELECT job_id FROM procrastinate_events WHERE type = 'failed'"
                "    AND at < :failed_before))"
            ),
            {"succeeded_before": now - KEEP_SUCCEEDED, "failed_before": now - KEEP_FAILED},
        )
    return int(result.rowcount)
