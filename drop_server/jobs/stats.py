"""How the queue is doing, from its own tables: `drop jobs`, and the metrics."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from drop_server.db.engine import Database


@dataclass(frozen=True)
class QueueStats:
    # Jobs waiting to run (`todo`), by queue.
    depth: dict[str, int]
    # Jobs running now, by queue.
    running: dict[str, int]
    # Jobs that failed after their last attempt and are kept for inspection, by task.
    failed: dict[str, int]
    # Jobs finished successfully and still kept (normally deleted at once), by task.
    succeeded: dict[str, int]


def queue_stats(db: Database) -> QueueStats:
    with db.transaction() as session:
        rows = session.execute(
            text(
                "SELECT status::text, queue_name, task_name, count(*) FROM procrastinate_jobs"
                " WHERE status IN ('todo', 'doing', 'failed', 'succeeded')"
                " GROUP BY 1, 2, 3"
            )
        ).all()
    stats = QueueStats(depth={}, running={}, failed={}, succeeded={})
    for status, queue, task, count in rows:
        if status == "todo":
            stats.depth[queue] = stats.depth.get(queue, 0) + count
        elif status == "doing":
            stats.running[queue] = stats.running.get(queue, 0) + count
        elif status == "failed":
            stats.failed[task] = stats.failed.get(task, 0) + count
        else:
            stats.succeeded[task] = stats.succeeded.get(task, 0) + count
    return stats
