from __future__ import annotations

from datetime import UTC, datetime

import pytest

from drop_server.domain.pagination import (
    Cursor,
    decode_cursor,
    encode_cursor,
    page_info,
    page_request,
)
from drop_server.errors import ApiError


def test_defaults() -> None:
    request = page_request(None, None, default_limit=20, max_limit=50)
    assert (request.page, request.limit, request.offset) == (1, 20, 0)


@pytest.mark.parametrize(
    ("page", "limit", "fields"),
    [(0, None, ["page"]), (None, 0, ["limit"]), (None, 51, ["limit"]), (-1, 99, ["page", "limit"])],
)
def test_out_of_range_is_400(page: int | None, limit: int | None, fields: list[str]) -> None:
    with pytest.raises(ApiError) as caught:
        page_request(page, limit, default_limit=20, max_limit=50)
    assert caught.value.http_status == 400
    assert [d.field for d in caught.value.details] == fields


@pytest.mark.parametrize(
    ("page", "total", "expected"),
    [
        (1, 0, (0, False, False)),
        (1, 20, (1, False, False)),
        (1, 21, (2, True, False)),
        (2, 21, (2, False, True)),
        (5, 21, (2, False, True)),
    ],
)
def test_page_info(page: int, total: int, expected: tuple[int, bool, bool]) -> None:
    info = page_info(page_request(page, 20, default_limit=20, max_limit=50), total)
    assert (info.total_pages, info.has_next, info.has_prev) == expected


def test_a_cursor_names_its_row_to_the_microsecond() -> None:
    moment = datetime(2026, 3, 29, 1, 30, 0, 999999, tzinfo=UTC)
    cursor = decode_cursor(encode_cursor(moment, "tx_qr_ba0a7ae05d08b778"))
    assert cursor == Cursor(moment, "tx_qr_ba0a7ae05d08b778")
    assert decode_cursor(None) is None


@pytest.mark.parametrize("raw", ["", "not-a-cursor!", "MTIz", "eDp0eF8x", "MTIzOmEgYg"])
def test_a_cursor_no_list_gave_is_a_bad_request(raw: str) -> None:
    with pytest.raises(ApiError) as caught:
        decode_cursor(raw)
    assert caught.value.details[0].field == "cursor"
