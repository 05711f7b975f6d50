"""Small conversions between domain values and proto fields."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from google.protobuf import timestamp_pb2

from drop.v1 import common_pb2
from drop_server.domain.pagination import PageInfo


def timestamp(moment: datetime) -> timestamp_pb2.Timestamp:
    """The one conversion of every time Drop answers: UTC, cut to milliseconds, so REST prints
    exactly three fractional digits (`2026-02-23T12:00:00.000Z`, the contract's format).
    Protobuf's JSON mapping prints a whole second without a fraction; envoy/rest.lua pads
    that one case, since the transcoder has no option for it."""
    result = timestamp_pb2.Timestamp()
    moment = moment.astimezone(UTC)
    result.FromDatetime(moment.replace(microsecond=moment.microsecond // 1000 * 1000, tzinfo=None))
    return result


def optional_timestamp(moment: datetime | None) -> timestamp_pb2.Timestamp | None:
    """For optional time fields: None leaves the field unset, so REST omits it."""
    return timestamp(moment) if moment is not None else None


def iso_date(day: date | None) -> str:
    return day.isoformat() if day else ""


def optional_field(message: Any, name: str) -> Any:
    """The value of a proto3 `optional` field, or None when the client left it out."""
    return getattr(message, name) if message.HasField(name) else None


def pagination(page: PageInfo) -> common_pb2.Pagination:
    return common_pb2.Pagination(
        page=page.page,
        limit=page.limit,
        total=page.total,
        total_pages=page.total_pages,
        has_next=page.has_next,
        has_prev=page.has_prev,
    )
