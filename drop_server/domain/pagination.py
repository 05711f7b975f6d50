"""Page/limit pagination as the contract fixes it: page >= 1, 1 <= limit <= a per-route max."""

from __future__ import annotations

from dataclasses import dataclass

from drop_server.errors import ApiError, FieldError, Messages


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
