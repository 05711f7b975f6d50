"""Webhook rules without I/O: which events exist, which URLs and addresses a delivery may
reach, the envelope a receiver gets, its signature and the retry schedule (README "Webhooks")."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from drop_server.domain.events import ENVELOPE_VERSION, EVENT_TYPES, event_time, public_event_id

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
# The job queue's queue and task of a delivery attempt (jobs/app.py; the trigger of migration
# 0010 defers the first attempt under the same names).
DELIVERY_QUEUE = "webhooks"
DELIVERY_TASK = "drop.deliver_webhook"
MAX_URL = 2048
MAX_DESCRIPTION = 200

# Waits before the five retries, in units of the retry base (DROP_WEBHOOK_RETRY_BASE_SECONDS,
# 60 s): 1 min, 5 min, 30 min, 2 h, 8 h. Six attempts in all, then `failed`.
RETRY_STEPS = (1, 5, 30, 120, 480)
MAX_ATTEMPTS = len(RETRY_STEPS) + 1
# A delivery still not answered with 2xx this long after its event is `failed`.
GIVE_UP_AFTER = timedelta(hours=24)


def envelope(event_id: int, event_type: str, data: dict[str, Any], created_at: datetime) -> bytes:
    """The body of a delivery: compact JSON, the exact bytes that are signed."""
    document = {
        "id": public_event_id(event_id),
        "type": event_type,
        "data": data,
        "timestamp": event_time(created_at),
        "version": ENVELOPE_VERSION,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 over `<timestamp>.<body>` keyed with the whole secret (`whsec_...`)."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def retry_delay(attempts: int, base_seconds: float) -> timedelta | None:
    """The wait after `attempts` failed attempts, or None when no retry is left."""
    if attempts < 1 or attempts > len(RETRY_STEPS):
        return None
    return timedelta(seconds=RETRY_STEPS[attempts - 1] * base_seconds)


def event_types_problem(event_types: list[str]) -> str | None:
    if not event_types:
        return "Must name at least one event type"
    unknown = [kind for kind in event_types if kind not in EVENT_TYPES]
    if unknown:
        return f"Must each be one of: {', '.join(EVENT_TYPES)}"
    return None


def url_problem(url: str) -> str | None:
    """An absolute http(s) URL with a host, no credentials and no fragment."""
    if len(url) > MAX_URL:
        return f"Must be at most {MAX_URL} characters"
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        return "Must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Must be a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "Must be an http or https URL"
    if not parts.hostname:
        return "Must name a host"
    if parts.username is not None or parts.password is not None:
        return "Must not contain credentials"
    if parts.fragment:
        return "Must not contain a fragment"
    if port == 0:
        return "Must not use port 0"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Private, loopback, link-local, multicast, reserved, unspecified or otherwise not a
    public internet address: a webhook must not reach into Drop's own network."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None and address_refused(inner):
            return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
