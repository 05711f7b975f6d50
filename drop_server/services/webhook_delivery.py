"""Sending one webhook delivery (the `drop.deliver_webhook` job): load it, POST the signed
envelope outside any database transaction, then record the outcome and, after a failure,
queue the next attempt in the same transaction (README "Webhooks").

At least once: a crash after the POST and before the record means the attempt is made
again, with the same event id, which receivers deduplicate by. Each job carries the attempt
number it is for; a job whose attempt has already been recorded does nothing, so a job run
twice never sends twice nor schedules two retries.

Outbound requests go only to http(s) URLs whose every resolved address is public (unless
DROP_WEBHOOK_ALLOW_PRIVATE), and connect to the address that was checked, so a DNS answer
that changes between the check and the connection (rebinding) cannot redirect a delivery
into Drop's network. Redirects are not followed.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address, IPv6Address, ip_address
from urllib.parse import urlsplit

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.db.models import Event, WebhookDelivery, WebhookEndpoint
from drop_server.domain import webhooks
from drop_server.domain.events import public_event_id
from drop_server.observability import metrics
from drop_server.services.webhook_secrets import open_sealed

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
MAX_ERROR = 200
USER_AGENT = "Drop-Webhooks/1"

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
# Finished deliveries and events are removed by housekeeping after this long.
KEEP = timedelta(days=30)


class TargetRefused(Exception):
    """The URL may not be reached: the message says why (no secrets, no response text)."""


def resolve_target(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to: every address the host resolves to must be allowed."""
    literal = webhooks.literal_address(host)
    if literal is not None:
        addresses: list[IPv4Address | IPv6Address] = [literal]
    else:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise TargetRefused("Host does not resolve") from None
        addresses = [ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
        if not addresses:
            raise TargetRefused("Host does not resolve")
    if not allow_private and any(webhooks.address_refused(a) for a in addresses):
        raise TargetRefused("Host is a private, loopback or link-local address")
    return str(addresses[0])


def check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    resolve_target(parts.hostname or "", port, allow_private)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the URL's host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with SNI and certificate checks for the URL's host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Attempt:
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str], allow_private: bool) -> Attempt:
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        address = resolve_target(host, port, allow_private)
    except TargetRefused as refused:
        return Attempt(None, str(refused))
    kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = kind(host, port, address, TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)  # what a receiver says is not kept: only its status
        code = response.status
        return Attempt(code, None if 200 <= code < 300 else f"HTTP {code}")
    except TimeoutError:
        return Attempt(None, f"Timed out after {TIMEOUT_SECONDS:g} s")
    except ssl.SSLError as error:
        return Attempt(None, f"TLS error: {error.reason or type(error).__name__}")
    except OSError as error:
        return Attempt(None, f"Connection failed: {error.strerror or type(error).__name__}")
    except http.client.HTTPException as error:
        return Attempt(None, f"Bad HTTP answer: {type(error).__name__}")
    finally:
        connection.close()


def defer_attempt(session: Session, delivery_id: str, attempt: int, at: datetime) -> None:
    """Queues the job for an attempt in the caller's transaction (it commits with it)."""
    session.execute(
        text(
            "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL,"
            " CAST(:args AS jsonb), CAST(:at AS timestamptz))::procrastinate_job_to_defer_v1])"
        ),
        {
            "queue": webhooks.DELIVERY_QUEUE,
            "task": webhooks.DELIVERY_TASK,
            "args": json.dumps({"delivery_id": delivery_id, "attempt": attempt}),
            "at": at,
        },
    )


@dataclass(frozen=True)
class _Work:
    url: str
    secret: str
    body: bytes
    event_id: str
    expired: bool
    endpoint_deleted: bool


def _load(db: Database, settings: Settings, delivery_id: str, attempt: int) -> _Work | None:
    with db.transaction() as session:
        row = session.execute(
            select(WebhookDelivery, WebhookEndpoint, Event)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .join(Event, Event.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id)
        ).one_or_none()
        if row is None:
            return None
        delivery, endpoint, event = row
        if delivery.status != PENDING or delivery.attempts != attempt:
            return None
        return _Work(
            url=endpoint.url,
            secret=open_sealed(
                settings.webhook_secrets_key, endpoint.id, endpoint.secret_ciphertext
            ),
            body=webhooks.envelope(event.id, event.type, event.data, event.created_at),
            event_id=public_event_id(event.id),
            expired=datetime.now(UTC) - delivery.created_at > webhooks.GIVE_UP_AFTER,
            endpoint_deleted=endpoint.deleted_at is not None,
        )


def _finish(
    db: Database,
    settings: Settings,
    delivery_id: str,
    attempt: int,
    outcome: Attempt,
    *,
    final: bool = False,
) -> str:
    """Records attempt number `attempt + 1` (a `final` outcome without a request, such as the
    24 hours passed, fails the delivery without counting an attempt); returns the new status."""
    now = datetime.now(UTC)
    made = attempt + 1 if not final else attempt
    values: dict[str, object] = {
        "attempts": made,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error[:MAX_ERROR] if outcome.error else None,
    }
    delay = None if final else webhooks.retry_delay(made, settings.webhook_retry_base_seconds)
    with db.transaction() as session:
        created_at = session.scalar(
            select(WebhookDelivery.created_at).where(WebhookDelivery.id == delivery_id)
        )
        # A retry that would fall past the 24 hours is not made: the delivery fails now.
        if (
            delay is not None
            and created_at is not None
            and now + delay - created_at > webhooks.GIVE_UP_AFTER
        ):
            delay = None
        if outcome.delivered:
            values.update(status=DELIVERED, delivered_at=now, next_attempt_at=None)
        elif delay is None:
            values.update(status=FAILED, failed_at=now, next_attempt_at=None)
        else:
            values.update(next_attempt_at=now + delay)
        # Only the job for this attempt records it (a duplicate run finds attempts moved on).
        changed = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == PENDING,
                WebhookDelivery.attempts == attempt,
            )
            .values(**values)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            return "skipped"
        if not outcome.delivered and delay is not None:
            defer_attempt(session, delivery_id, made, now + delay)
    status = str(values.get("status", PENDING))
    metrics.WEBHOOK_DELIVERIES.labels(outcome=status if status != PENDING else "retry").inc()
    return status


def deliver(db: Database, settings: Settings, delivery_id: str, attempt: int = 0) -> str:
    """One attempt of one delivery: `delivered`, `pending` (a retry is queued), `failed`, or
    `skipped` (already done, or this attempt was already made)."""
    work = _load(db, settings, delivery_id, attempt)
    if work is None:
        return "skipped"
    if work.endpoint_deleted:
        return _finish(
            db, settings, delivery_id, attempt, Attempt(None, "Webhook deleted"), final=True
        )
    if work.expired:
        gave_up = Attempt(None, "Not delivered within 24 hours")
        return _finish(db, settings, delivery_id, attempt, gave_up, final=True)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Webhook-Id": delivery_id,
        "X-Webhook-Event-Id": work.event_id,
        "X-Webhook-Timestamp": str(timestamp),
        "X-Webhook-Signature": webhooks.signature(work.secret, timestamp, work.body),
    }
    outcome = post(work.url, work.body, headers, settings.webhook_allow_private)
    status = _finish(db, settings, delivery_id, attempt, outcome)
    if status != DELIVERED:
        log.info(
            "webhook delivery %s attempt %d: %s (%s)",
            delivery_id,
            attempt + 1,
            status,
            outcome.error,
        )
    return status


def purge_old(session: Session, now: datetime) -> int:
    """Housekeeping: finished deliveries, then events no delivery needs, past KEEP (a live
    stream can resume from any event younger than that)."""
    cutoff = now - KEEP
    deliveries = session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status != PENDING, WebhookDelivery.created_at < cutoff
        )
    )
    still_referenced = select(WebhookDelivery.id).where(WebhookDelivery.event_id == Event.id)
    events = session.execute(
        delete(Event).where(Event.created_at < cutoff, ~still_referenced.exists())
    )
    return int(deliveries.rowcount) + int(events.rowcount)  # type: ignore[attr-defined]
