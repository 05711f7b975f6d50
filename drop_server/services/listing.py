"""Long lists (transactions, notifications, merchant sales) by page or by keyset cursor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, or_

from drop_server.domain.pagination import (
    Cursor,
    PageInfo,
    PageRequest,
    cursor_page_info,
    encode_cursor,
    page_info,
)

RowT = TypeVar("RowT")


def after_cursor(created_at: Any, row_id: Any, cursor: Cursor) -> list[ColumnElement[bool]]:
    """Rows after the cursor in newest-first order, written so that the index on (owner,
    created_at) bounds the scan: `created_at <=` is an index condition, the rest a filter over
    rows of that very instant only."""
    return [
        created_at <= cursor.created_at,
        or_(created_at < cursor.created_at, row_id < cursor.id),
    ]


def next_page(
    rows: list[RowT],
    request: PageRequest,
    total: int,
    by_cursor: bool,
    key: Callable[[RowT], tuple[datetime, str]],
) -> tuple[list[RowT], PageInfo, str | None]:
    """Rows fetched with limit + 1: the extra one only tells whether a next page exists."""
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    following = encode_cursor(*key(rows[-1])) if more else None
    info = cursor_page_info(request.limit, total, more) if by_cursor else page_info(request, total)
    return rows, info, following
