"""Live events (README "Live events"): Server-Sent Events through Envoy at GET /api/events and
the native gRPC stream EventService/StreamEvents through Envoy's port. Payments, settlements,
notifications and resolved complaints appear on the owner's open stream as they commit; a
reconnect resumes after the last event seen without gaps or duplicates; a revoked session's
stream ends; bad input gets the documented envelope."""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format
from google.rpc import error_details_pb2, status_pb2

from drop.v1 import events_pb2, events_pb2_grpc
from tests.conftest import DropSystem, fresh_ip
from tests.e2e.helpers import MakeRest, api_key
from tests.e2e.money import Customer, Operator, add_recipient, customer, merchant

WAIT = 10.0
EVENT_ID = re.compile(r"^evt_[0-9]+$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")


@pytest.fixture(scope="module")
def operator(make_rest_module: MakeRest, drop_system: DropSystem) -> Iterator[Operator]:
    with Operator(make_rest_module, drop_system) as op:
        yield op


@pytest.fixture(scope="module")
def make_rest_module(drop_system: DropSystem) -> Iterator[MakeRest]:
    clients: list[httpx.Client] = []

    def make(ip: str | None = None) -> httpx.Client:
        client = httpx.Client(
            base_url=drop_system.http_url,
            transport=httpx.HTTPTransport(local_address=ip or fresh_ip()),
            timeout=15.0,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


class SseStream:
    """An open GET /api/events, read on a thread: `next()` returns the next parsed event."""

    def __init__(self, client: httpx.Client, headers: dict[str, str] | None = None) -> None:
        self.events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.status = 0
        self.content_type = ""
        self._opened = threading.Event()
        self._client = client
        self._headers = headers or {}
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._opened.wait(WAIT), "the stream did not open"

    def _read(self) -> None:
        try:
            with self._client.stream(
                "GET", "/api/events", headers=self._headers, timeout=httpx.Timeout(30.0)
            ) as response:
                self.status = response.status_code
                self.content_type = response.headers.get("content-type", "")
                self._opened.set()
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        self.events.put(json.loads(line[len("data: ") :]))
        except httpx.HTTPError:
            pass
        finally:
            self._opened.set()
            self.events.put(None)  # the end of the stream

    def next(self, skip_heartbeats: bool = True) -> dict[str, Any] | None:
        deadline = time.monotonic() + WAIT
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no event in time"
            event = self.events.get(timeout=remaining)
            if event is None or not (skip_heartbeats and event["type"] == "heartbeat"):
                return event

    def next_of(self, *types: str) -> dict[str, Any]:
        """The next event of one of these types (others are skipped)."""
        while True:
            event = self.next()
            assert event is not None, "the stream ended"
            if event["type"] in types:
                return event

    def close(self) -> None:
        self._client.close()


@contextmanager
def sse(client: httpx.Client, after: str | None = None, **headers: str) -> Iterator[SseStream]:
    """A stream on a client of its own carrying the same session cookie."""
    own = httpx.Client(
        base_url=str(client.base_url),
        cookies=client.cookies,
        params={"after": after} if after else None,
        transport=httpx.HTTPTransport(local_address=fresh_ip()),
    )
    stream = SseStream(own, headers)
    try:
        yield stream
    finally:
        stream.close()


def token_of(client: httpx.Client) -> str:
    return str(client.cookies["drop_token"])


def qr_payment(payer: Customer, merchant_id: object, amount: float) -> dict[str, Any]:
    response = payer.client.post(
        "/api/transactions/qr-payment", json={"merchantId": merchant_id, "amount": amount}
    )
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


def test_a_qr_payment_reaches_the_payer_and_the_merchant_at_once(
    make_rest_module: MakeRest, operator: Operator
) -> None:
    payer = customer(make_rest_module, operator)
    owner, shop = merchant(make_rest_module, operator)
    with sse(payer.client) as payer_stream, sse(owner.client) as shop_stream:
        assert payer_stream.status == 200
        assert payer_stream.content_type.startswith("text/event-stream")
        # The first message says the stream is open (and subscribed).
        opened = payer_stream.next(skip_heartbeats=False)
        assert opened is not None and opened["type"] == "heartbeat" and opened["id"] == ""
        assert shop_stream.next(skip_heartbeats=False)["type"] == "heartbeat"  # type: ignore[index]
        paid = qr_payment(payer, shop["merchantId"], 89.5)

        completed = payer_stream.next_of("payment.completed")
        assert EVENT_ID.match(completed["id"]) and TIME.match(completed["timestamp"])
        assert completed["version"] == "1"
        data = completed["data"]
        assert TIME.match(data.pop("createdAt")) and TIME.match(data.pop("completedAt"))
        assert data == {
            "id": paid["id"],
            "type": "qr_payment",
            "status": "completed",
            "amount": 89.5,
            "currency": "NOK",
            "fee": 0.9,
            "total": 90.4,
            "merchantId": shop["merchantId"],
            "merchantName": "Kaffebar AS",
        }
        note = payer_stream.next_of("notification.created")
        assert note["data"]["type"] == "qr_payment_made" and note["data"]["read"] is False

        received = shop_stream.next_of("payment.received")
        assert received["data"]["id"] == paid["id"]
        assert received["data"]["amount"] == 89.5
        # The merchant sees the payment, not the payer's fee or account.
        assert "fee" not in received["data"] and "total" not in received["data"]


def test_a_remittance_is_followed_from_processing_to_completed(
    make_rest_module: MakeRest, operator: Operator
) -> None:
    sender = customer(make_rest_module, operator)
    recipient = add_recipient(sender.client)
    with sse(sender.client) as stream:
        sent = sender.client.post(
            "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 2000}
        )
        assert sent.status_code == 201, sent.text
        tx = sent.json()["data"]
        processing = stream.next_of("remittance.processing")
        assert processing["data"]["id"] == tx["id"]
        assert processing["data"]["status"] == "processing"
        assert processing["data"]["receiveCurrency"] == "RSD"
        assert operator.settle(tx["id"], "completed").status_code == 200
        completed = stream.next_of("remittance.completed")
        assert completed["data"]["id"] == tx["id"] and "completedAt" in completed["data"]
        assert int(completed["id"][4:]) > int(processing["id"][4:])


def test_a_reconnect_resumes_after_the_last_event_without_gaps_or_duplicates(
    make_rest_module: MakeRest, operator: Operator
) -> None:
    payer = customer(make_rest_module, operator)
    _, shop = merchant(make_rest_module, operator)
    with sse(payer.client) as stream:
        qr_payment(payer, shop["merchantId"], 10)
        first = stream.next_of("payment.completed")
        rest_of_first = stream.next_of("notification.created")
    # While nobody listens: two more payments.
    qr_payment(payer, shop["merchantId"], 11)
    qr_payment(payer, shop["merchantId"], 12)
    with sse(payer.client, **{"Last-Event-ID": first["id"]}) as resumed:
        seen = [resumed.next() for _ in range(5)]
    ids = [event["id"] for event in seen if event is not None]
    assert ids[0] == rest_of_first["id"]
    assert ids == sorted(ids, key=lambda i: int(i[4:])) and len(set(ids)) == 5
    assert [e["type"] for e in seen if e] == [
        "notification.created",
        "payment.completed",
        "notification.created",
        "payment.completed",
        "notification.created",
    ]
    assert [e["data"]["amount"] for e in seen if e and e["type"] == "payment.completed"] == [11, 12]
    # `after` in the query does the same; after the newest event only new ones come.
    with sse(payer.client, after=ids[-1]) as tail:
        assert tail.next(skip_heartbeats=False)["type"] == "heartbeat"  # type: ignore[index]
        qr_payment(payer, shop["merchantId"], 13)
        assert tail.next_of("payment.completed")["data"]["amount"] == 13


def test_other_users_events_never_reach_a_stream(
    make_rest_module: MakeRest, operator: Operator
) -> None:
    watcher = customer(make_rest_module, operator)
    other = customer(make_rest_module, operator)
    _, shop = merchant(make_rest_module, operator)
    with sse(watcher.client) as stream:
        qr_payment(other, shop["merchantId"], 5)
        qr_payment(watcher, shop["merchantId"], 6)
        mine = stream.next_of("payment.completed")
        assert mine["data"]["amount"] == 6


def test_a_revoked_session_ends_its_stream(make_rest_module: MakeRest, operator: Operator) -> None:
    user = customer(make_rest_module, operator)
    with sse(user.client) as stream:
        assert stream.next(skip_heartbeats=False) is not None
        assert user.client.post("/api/auth/logout").status_code in (200, 204)
        # Rechecked every heartbeat (a second in the tests): the stream ends.
        deadline = time.monotonic() + WAIT
        while (event := stream.events.get(timeout=WAIT)) is not None:
            assert event["type"] == "heartbeat" and time.monotonic() < deadline


def test_rest_errors_use_the_envelope(
    make_rest_module: MakeRest, operator: Operator, drop_system: DropSystem
) -> None:
    anonymous = make_rest_module()
    response = anonymous.get("/api/events")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    user = customer(make_rest_module, operator)
    bad = user.client.get("/api/events", params={"after": "tx_123"})
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"] == "validation_error"
    assert body["details"] == [{"field": "after", "message": "Must be an event id like evt_123"}]
    unknown = user.client.get("/api/events", params={"since": "1"})
    assert unknown.status_code == 400
    keyed = make_rest_module()
    keyed.headers["X-Api-Key"] = api_key(drop_system, "admin")
    refused = keyed.get("/api/events")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def _error_info(error: grpc.RpcError) -> error_details_pb2.ErrorInfo:
    trailers = dict(error.trailing_metadata() or ())  # type: ignore[attr-defined]
    status = status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info)
    return info


def test_native_grpc_stream_through_envoy(
    make_rest_module: MakeRest, operator: Operator, drop_system: DropSystem
) -> None:
    payer = customer(make_rest_module, operator)
    _, shop = merchant(make_rest_module, operator)
    metadata = (("authorization", f"Bearer {token_of(payer.client)}"),)
    with grpc.insecure_channel(drop_system.envoy_target) as channel:
        stub = events_pb2_grpc.EventServiceStub(channel)
        call = stub.StreamEvents(events_pb2.StreamEventsRequest(), metadata=metadata, timeout=20)
        opened = next(call)
        assert opened.type == "heartbeat" and opened.version == "1"
        paid = qr_payment(payer, shop["merchantId"], 7.25)
        for message in call:
            if message.type == "payment.completed":
                break
        data = json_format.MessageToDict(message.data)
        assert data["id"] == paid["id"] and data["amount"] == 7.25
        assert EVENT_ID.match(message.id) and message.timestamp.seconds > 0
        call.cancel()

        # Resume over gRPC: `after` the payment, the notification that followed it comes next.
        resumed = stub.StreamEvents(
            events_pb2.StreamEventsRequest(after=message.id), metadata=metadata, timeout=20
        )
        assert next(resumed).type == "heartbeat"
        following = next(resumed)
        assert following.type == "notification.created"
        assert int(following.id[4:]) > int(message.id[4:])
        resumed.cancel()

        with pytest.raises(grpc.RpcError) as anonymous:
            next(stub.StreamEvents(events_pb2.StreamEventsRequest(), timeout=10))
        assert anonymous.value.code() is grpc.StatusCode.UNAUTHENTICATED  # type: ignore[attr-defined]
        assert _error_info(anonymous.value).reason == "UNAUTHORIZED"
        with pytest.raises(grpc.RpcError) as bad:
            next(
                stub.StreamEvents(
                    events_pb2.StreamEventsRequest(after="nope"), metadata=metadata, timeout=10
                )
            )
        assert bad.value.code() is grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
        assert _error_info(bad.value).reason == "VALIDATION_ERROR"


def test_a_logout_ends_a_native_grpc_stream_with_unauthenticated(
    make_rest_module: MakeRest, operator: Operator, drop_system: DropSystem
) -> None:
    user = customer(make_rest_module, operator)
    metadata = (("authorization", f"Bearer {token_of(user.client)}"),)
    with grpc.insecure_channel(drop_system.envoy_target) as channel:
        call = events_pb2_grpc.EventServiceStub(channel).StreamEvents(
            events_pb2.StreamEventsRequest(), metadata=metadata, timeout=20
        )
        assert next(call).type == "heartbeat"
        assert user.client.post("/api/auth/logout").status_code in (200, 204)
        with pytest.raises(grpc.RpcError) as ended:
            for _ in call:
                pass
        assert ended.value.code() is grpc.StatusCode.UNAUTHENTICATED  # type: ignore[attr-defined]
