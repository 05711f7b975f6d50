from __future__ import annotations

import pytest

from drop_server.domain.pagination import page_info, page_request
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
