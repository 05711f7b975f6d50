"""Reading the `events` outbox: a user's events after a given id, in commit order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from drop_server.domain.events import public_event_id

# Events sent per query: a long backlog goes out in pages.
PAGE = 200
CHANNEL = "drop_events"


@dataclass(frozen=True)
class OutboxEvent:
    id: int
    type: str
    data: dict[str, Any]
    created_at: datetime

    @property
    def public_id(self) -> str:
        return public_event_id(self.id)


def parse_notification(payload: str) -> tuple[int, str] | None:
    """NOTIFY drop_events '<id> <user_id>' (see migration 0010)."""
    number, _, user_id = payload.partition(" ")
    if not number.isdigit() or not user_id:
        return None
    return int(number), user_id


async def latest_id(conn: AsyncConnection[Any], user_id: str) -> int:
    cursor = conn.cursor(row_factory=tuple_row)
    await cursor.execute("SELECT coalesce(max(id), 0) FROM events WHERE user_id = %s", (user_id,))
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def events_after(
    conn: AsyncConnection[Any], user_id: str, after: int, limit: int = PAGE
) -> list[OutboxEvent]:
    cursor = conn.cursor(row_factory=tuple_row)
    await cursor.execute(
        "SELECT id, type, data, created_at FROM events"
        " WHERE user_id = %s AND id > %s ORDER BY id LIMIT %s",
        (user_id, after, limit),
    )
    return [OutboxEvent(*row) for row in await cursor.fetchall()]
