"""Page/limit pagination as the contract fixes it: page >= 1, 1 <= limit <= a per-route max."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from drop_server.errors import ApiError, FieldError, Messages

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class PageRequest:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


@dataclass(frozen=True)
class PageInfo:
    page: int
    limit: int
    total: int
    total_pages: int
    has_next: bool
    has_prev: bool


def page_request(
    page: int | None, limit: int | None, *, default_limit: int, max_limit: int
) -> PageRequest:
    problems = []
    if page is not None and page < 1:
        problems.append(FieldError("page", "Must be at least 1"))
    if limit is not None and not 1 <= limit <= max_limit:
        problems.append(FieldError("limit", f"Must be between 1 and {max_limit}"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_QUERY, problems)
    return PageRequest(page=page or 1, limit=limit or default_limit)


def page_info(request: PageRequest, total: int) -> PageInfo:
    total_pages = -(-total // request.limit)
    return PageInfo(
        page=request.page,
        limit=request.limit,
        total=total,
        total_pages=total_pages,
        has_next=request.page < total_pages,
        has_prev=request.page > 1,
    )


# Keyset pagination: an opaque cursor names the last row of a page (its creation time and id,
# the lists' order); the next page starts after it, at the same cost however deep it is.
@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: str


def encode_cursor(created_at: datetime, row_id: str) -> str:
    micros = (created_at - EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{micros}:{row_id}".encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> Cursor | None:
    if raw is None:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        micros, row_id = text.split(":", 1)
        if not CURSOR_ID.match(row_id):
            raise ValueError(row_id)
        moment = EPOCH + timedelta(microseconds=int(micros))
    except (ValueError, UnicodeDecodeError, OverflowError):
        raise ApiError.bad_request(
            Messages.INVALID_QUERY, [FieldError("cursor", "Not a cursor this list gave")]
        ) from None
    return Cursor(moment, row_id)


def cursor_page_info(limit: int, total: int, has_next: bool) -> PageInfo:
    """The pagination block of a page reached by cursor: `page` is not known there (1)."""
    return PageInfo(
        page=1,
        limit=limit,
        total=total,
        total_pages=-(-total // limit),
        has_next=has_next,
        has_prev=True,
    )
