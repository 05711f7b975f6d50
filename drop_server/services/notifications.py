"""Notifications: written in the same database transaction as the event they tell about."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from drop.v1 import notifications_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Notification, NotificationCount
from drop_server.domain import ids
from drop_server.domain.pagination import PageInfo, decode_cursor, page_request
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import max_items, maximum, pattern
from drop_server.services.feature_flags import require_flag
from drop_server.services.listing import after_cursor, next_page

FLAG = "notifications"
# From the request's `(drop.v1.rules)` in the .proto, which the OpenAPI document shows
# too: declared once.
NOTIFICATION_ID = pattern(notifications_pb2.MarkNotificationsReadRequest, "notification_ids")
MAX_IDS = max_items(notifications_pb2.MarkNotificationsReadRequest, "notification_ids")


def notify(session: Session, user_id: str, kind: str, title: str, body: str) -> None:
    session.add(
        Notification(id=ids.new_id("noti"), user_id=user_id, type=kind, title=title, body=body)
    )


@dataclass(frozen=True)
class NotificationPage:
    notifications: list[Notification]
    page: PageInfo
    next_cursor: str | None = None


def list_notifications(
    db: Database,
    principal: Principal,
    page: int | None,
    limit: int | None,
    cursor: str | None = None,
) -> NotificationPage:
    require_flag(db, FLAG)
    # At most the `maximum` of the request's `limit` in the .proto (shown in the OpenAPI too).
    most = int(maximum(notifications_pb2.ListNotificationsRequest, "limit"))
    request = page_request(page, limit, default_limit=50, max_limit=most)
    after = decode_cursor(cursor)
    with db.transaction() as session:
        mine = Notification.user_id == principal.user_id
        # Kept by a trigger: no count over every notification the user ever had.
        total = (
            session.scalar(
                select(NotificationCount.count).where(
                    NotificationCount.user_id == principal.user_id
                )
            )
            or 0
        )
        query = (
            select(Notification)
            .where(mine)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(request.limit + 1)
        )
        if after is None:
            query = query.offset(request.offset)
        else:
            query = query.where(*after_cursor(Notification.created_at, Notification.id, after))
        rows = list(session.scalars(query))
    return NotificationPage(
        *next_page(rows, request, total, after is not None, lambda n: (n.created_at, n.id))
    )


def mark_read(db: Database, principal: Principal, notification_ids: list[str]) -> int:
    require_flag(db, FLAG)
    if not 1 <= len(notification_ids) <= MAX_IDS:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST, [FieldError("notificationIds", f"Give 1 to {MAX_IDS} ids")]
        )
    bad = [i for i, value in enumerate(notification_ids) if not NOTIFICATION_ID.fullmatch(value)]
    if bad:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError(f"notificationIds[{i}]", "Must look like noti_<16 hex>") for i in bad],
        )
    with db.transaction() as session:
        # Ids of other users' notifications are ignored, not reported: no existence leak.
        result = session.execute(
            update(Notification)
            .where(
                Notification.id.in_(set(notification_ids)),
                Notification.user_id == principal.user_id,
                Notification.read.is_(False),
            )
            .values(read=True)
        )
    return int(result.rowcount)
