"""EventService on grpc.aio: thousands of open streams are coroutines waiting on a doorbell,
not threads. Authorization is checked when a stream opens (the same rules as the workers'
AuthInterceptor: a live session of a user; API keys are refused) and the session is rechecked
every few seconds, so a revoked session's stream ends with UNAUTHENTICATED."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import grpc
from google.protobuf import struct_pb2, timestamp_pb2
from psycopg_pool import AsyncConnectionPool

from drop.v1 import events_pb2, events_pb2_grpc
from drop_server.api.interceptors import error_status, metadata_of
from drop_server.api.request_checks import decode_request
from drop_server.auth.credentials import Credentials, credentials_of
from drop_server.auth.principal import Principal
from drop_server.domain.events import ENVELOPE_VERSION, HEARTBEAT, parse_event_id
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.observability.request_ids import request_id_from
from drop_server.streams import outbox
from drop_server.streams.hub import EventHub, Subscription

log = logging.getLogger("drop.streams")

INVALID_AFTER = "Must be an event id like evt_123"

# The signed-in user behind the credentials, checked as the workers check them (a user only).
Authenticate = Callable[[Credentials], Awaitable[Principal]]


def _resume_point(
    request: events_pb2.StreamEventsRequest, metadata: dict[str, list[str]]
) -> int | None:
    """The event id to resume after: `after`, else Last-Event-ID (the SSE convention)."""
    raw = (
        request.after if request.HasField("after") else (metadata.get("last-event-id") or [None])[0]
    )
    if raw is None or raw == "":
        return None
    number = parse_event_id(raw)
    if number is None:
        raise ApiError.validation([FieldError("after", INVALID_AFTER)])
    return number


def _message(event: outbox.OutboxEvent) -> events_pb2.StreamEventsResponse:
    data = struct_pb2.Struct()
    data.update(event.data)
    timestamp = timestamp_pb2.Timestamp()
    # Milliseconds, like every other time the API prints.
    timestamp.FromMilliseconds(int(event.created_at.timestamp() * 1000))
    return events_pb2.StreamEventsResponse(
        id=event.public_id,
        type=event.type,
        data=data,
        timestamp=timestamp,
        version=ENVELOPE_VERSION,
    )


def _heartbeat() -> events_pb2.StreamEventsResponse:
    timestamp = timestamp_pb2.Timestamp()
    timestamp.FromMilliseconds(int(time.time() * 1000))
    # `data` is always there: `{}` on a heartbeat.
    return events_pb2.StreamEventsResponse(
        type=HEARTBEAT, data=struct_pb2.Struct(), timestamp=timestamp, version=ENVELOPE_VERSION
    )


class EventServicer(events_pb2_grpc.EventServiceServicer):
    def __init__(
        self,
        hub: EventHub,
        pool: AsyncConnectionPool,
        authenticate: Authenticate,
        heartbeat_seconds: float,
    ) -> None:
        self._hub = hub
        self._pool = pool
        self._authenticate = authenticate
        self._heartbeat = heartbeat_seconds
        self._reads: dict[tuple[str, int], asyncio.Future[list[outbox.OutboxEvent]]] = {}

    async def StreamEvents(
        self,
        request: events_pb2.StreamEventsRequest | bytes,
        context: grpc.aio.ServicerContext,
    ) -> AsyncIterator[events_pb2.StreamEventsResponse]:
        metadata = metadata_of(context)
        request_id = request_id_from((metadata.get("x-request-id") or [None])[0])
        try:
            if isinstance(request, bytes):
                # Malformed bytes and invalid UTF-8 get the workers' 400 envelope.
                request = decode_request(request, events_pb2.StreamEventsRequest)
            after = _resume_point(request, metadata)
            credentials = credentials_of(metadata)
            if credentials is None:
                raise ApiError.unauthorized(Messages.AUTH_REQUIRED)
            principal = await self._authenticate(credentials)
        except ApiError as error:
            await self._abort(context, error, request_id)
            return
        assert principal.user_id is not None
        # Subscribed before the starting point is read: nothing committed after it is missed.
        subscription = self._hub.subscribe(principal.user_id, principal.session_id)
        try:
            async for message in self._events(subscription, after, context, request_id):
                yield message
        finally:
            self._hub.unsubscribe(subscription)

    async def _events(
        self,
        subscription: Subscription,
        after: int | None,
        context: grpc.aio.ServicerContext,
        request_id: str,
    ) -> AsyncIterator[events_pb2.StreamEventsResponse]:
        await context.send_initial_metadata((("x-request-id", request_id),))
        if after is None:
            async with self._pool.connection() as conn:
                after = await outbox.latest_id(conn, subscription.user_id)
        # At once: the stream is open and subscribed (clients may rely on it).
        yield _heartbeat()
        woken = True
        while not subscription.revoked:
            if not woken:
                yield _heartbeat()
            # Everything after the last event sent, a page at a time.
            while woken:
                page = await self._page(subscription.user_id, after)
                for event in page:
                    after = event.id
                    yield _message(event)
                woken = len(page) == outbox.PAGE
            woken = await subscription.wait(self._heartbeat)
        await self._abort(context, ApiError.unauthorized(Messages.SESSION_INVALID), request_id)

    async def _page(self, user_id: str, after: int) -> list[outbox.OutboxEvent]:
        """One outbox read for all the streams of a user at the same point (a user's devices,
        woken by the same notification), instead of one each."""
        key = (user_id, after)
        read = self._reads.get(key)
        if read is None:
            read = asyncio.ensure_future(self._read_page(user_id, after))
            self._reads[key] = read
            read.add_done_callback(lambda _: self._reads.pop(key, None))
        return await asyncio.shield(read)

    async def _read_page(self, user_id: str, after: int) -> list[outbox.OutboxEvent]:
        async with self._pool.connection() as conn:
            return await outbox.events_after(conn, user_id, after)

    async def _abort(
        self, context: grpc.aio.ServicerContext, error: ApiError, request_id: str
    ) -> None:
        status = error_status(error)
        trailers = (*status.trailing_metadata, ("x-request-id", request_id))
        await context.abort(status.code, status.details, trailers)


def event_service_handler(servicer: EventServicer) -> grpc.GenericRpcHandler:
    """The service with the request left as bytes: the servicer decodes it, so malformed input
    is answered like on the workers (INVALID_ARGUMENT with the envelope), not by grpcio."""
    return grpc.method_handlers_generic_handler(
        "drop.v1.EventService",
        {
            "StreamEvents": grpc.unary_stream_rpc_method_handler(
                servicer.StreamEvents,
                response_serializer=events_pb2.StreamEventsResponse.SerializeToString,
            )
        },
    )
