"""NotificationService: proto <-> services.notifications."""

from __future__ import annotations

import grpc

from drop.v1 import notifications_pb2 as pb
from drop.v1 import notifications_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, pagination, timestamp
from drop_server.db.engine import Database
from drop_server.services import notifications


class NotificationServicer(notifications_pb2_grpc.NotificationServiceServicer):
    def __init__(self, db: Database) -> None:
        self._db = db

    def ListNotifications(
        self, request: pb.ListNotificationsRequest, context: grpc.ServicerContext
    ) -> pb.ListNotificationsResponse:
        result = notifications.list_notifications(
            self._db,
            current_call().user(),
            optional_field(request, "page"),
            optional_field(request, "limit"),
            optional_field(request, "cursor"),
        )
        return pb.ListNotificationsResponse(
            next_cursor=result.next_cursor,
            data=[
                pb.Notification(
                    id=n.id,
                    type=n.type,
                    title=n.title,
                    body=n.body,
                    read=n.read,
                    created_at=timestamp(n.created_at),
                )
                for n in result.notifications
            ],
            pagination=pagination(result.page),
        )

    def MarkNotificationsRead(
        self, request: pb.MarkNotificationsReadRequest, context: grpc.ServicerContext
    ) -> pb.MarkNotificationsReadResponse:
        updated = notifications.mark_read(
            self._db, current_call().user(), list(request.notification_ids)
        )
        return pb.MarkNotificationsReadResponse(data=pb.MarkedRead(updated=updated))
