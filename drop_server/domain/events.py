"""Events as clients see them, on a live stream and in a webhook delivery alike: the types the
triggers of migration 0010 write, public ids (`evt_<number>`), times and the envelope version."""

from __future__ import annotations

import re
from datetime import UTC, datetime

# What the triggers of migration 0010 write, in the order the README lists them.
EVENT_TYPES = (
    "payment.received",
    "payment.completed",
    "payment.failed",
    "remittance.processing",
    "remittance.completed",
    "remittance.failed",
    "complaint.resolved",
    "notification.created",
)
# Live streams only: sent when nothing else has been for a while.
HEARTBEAT = "heartbeat"
ENVELOPE_VERSION = "1"
EVENT_ID_PREFIX = "evt_"
_EVENT_ID = re.compile(r"^evt_(0|[1-9][0-9]{0,17})$")


def public_event_id(number: int) -> str:
    return f"{EVENT_ID_PREFIX}{number}"


def parse_event_id(value: str) -> int | None:
    """`evt_123` -> 123; None for anything else."""
    match = _EVENT_ID.match(value.strip())
    return int(match.group(1)) if match else None


def event_time(moment: datetime) -> str:
    """RFC 3339 UTC with three fractional digits, like every time Drop answers."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
