"""WebhookService: proto <-> services.webhooks."""

from __future__ import annotations

import grpc

from drop.v1 import webhooks_pb2 as pb
from drop.v1 import webhooks_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, optional_timestamp, pagination, timestamp
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.db.models import WebhookEndpoint
from drop_server.domain.events import public_event_id
from drop_server.services import webhooks


def webhook_message(row: WebhookEndpoint, secret: str | None = None) -> pb.Webhook:
    return pb.Webhook(
        id=row.id,
        user_id=row.user_id,
        url=row.url,
        description=row.description,
        event_types=list(row.event_types),
        created_at=timestamp(row.created_at),
        secret=secret,
    )


def delivery_message(entry: webhooks.DeliveryEntry) -> pb.WebhookDelivery:
    row = entry.delivery
    return pb.WebhookDelivery(
        id=row.id,
        webhook_id=row.endpoint_id,
        event_id=public_event_id(row.event_id),
        event_type=entry.event_type,
        status=row.status,
        attempts=row.attempts,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=timestamp(row.created_at),
        delivered_at=optional_timestamp(row.delivered_at),
        failed_at=optional_timestamp(row.failed_at),
        next_attempt_at=optional_timestamp(entry.next_attempt_at),
    )


class WebhookServicer(webhooks_pb2_grpc.WebhookServiceServicer):
    def __init__(self, settings: Settings, db: Database) -> None:
        self._settings = settings
        self._db = db

    def CreateWebhook(
        self, request: pb.CreateWebhookRequest, context: grpc.ServicerContext
    ) -> pb.CreateWebhookResponse:
        form = webhooks.NewWebhook(
            url=optional_field(request, "url"),
            event_types=list(request.event_types),
            description=optional_field(request, "description"),
            user_id=optional_field(request, "user_id"),
        )
        created = webhooks.create_webhook(self._db, self._settings, current_call().caller(), form)
        return pb.CreateWebhookResponse(data=webhook_message(created.endpoint, created.secret))

    def ListWebhooks(
        self, request: pb.ListWebhooksRequest, context: grpc.ServicerContext
    ) -> pb.ListWebhooksResponse:
        result = webhooks.list_webhooks(
            self._db,
            current_call().caller(),
            optional_field(request, "page"),
            optional_field(request, "limit"),
            optional_field(request, "user_id"),
        )
        return pb.ListWebhooksResponse(
            data=[webhook_message(row) for row in result.endpoints],
            pagination=pagination(result.page),
        )

    def DeleteWebhook(
        self, request: pb.DeleteWebhookRequest, context: grpc.ServicerContext
    ) -> pb.DeleteWebhookResponse:
        webhooks.delete_webhook(self._db, current_call().caller(), request.id)
        return pb.DeleteWebhookResponse()

    def ListWebhookDeliveries(
        self, request: pb.ListWebhookDeliveriesRequest, context: grpc.ServicerContext
    ) -> pb.ListWebhookDeliveriesResponse:
        result = webhooks.list_deliveries(
            self._db,
            current_call().caller(),
            request.id,
            optional_field(request, "page"),
            optional_field(request, "limit"),
        )
        return pb.ListWebhookDeliveriesResponse(
            data=[delivery_message(entry) for entry in result.deliveries],
            pagination=pagination(result.page),
        )

    def RedeliverWebhook(
        self, request: pb.RedeliverWebhookRequest, context: grpc.ServicerContext
    ) -> pb.RedeliverWebhookResponse:
        entry = webhooks.redeliver(
            self._db, current_call().caller(), request.id, request.delivery_id
        )
        return pb.RedeliverWebhookResponse(data=delivery_message(entry))
