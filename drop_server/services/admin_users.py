"""Operators' view of users: search, read, change KYC status and role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select

from drop.v1 import admin_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import User
from drop_server.domain.pagination import PageInfo, page_info, page_request
from drop_server.domain.permissions import Permission
from drop_server.domain.users import KycStatus, Role
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import allowed, maximum, rules
from drop_server.services.access import require

# The `maximum` of the request's `limit` in the .proto (shown in the OpenAPI too).
MAX_LIMIT = int(maximum(admin_pb2.ListUsersRequest, "limit"))
DEFAULT_LIMIT = 20
MIN_SEARCH_LENGTH = rules(admin_pb2.ListUsersRequest, "search").min_length
SORT_COLUMNS = {"createdAt": User.created_at, "email": User.email, "lastName": User.last_name}
# Filter values are the request's `(drop.v1.rules)` (also in the OpenAPI document); the unit
# tests hold them equal to the domain's roles, KYC statuses and the sortable columns.
FILTERS = {
    name: allowed(admin_pb2.ListUsersRequest, field)
    for name, field in (
        ("role", "role"),
        ("kycStatus", "kyc_status"),
        ("sortBy", "sort_by"),
        ("order", "order"),
    )
}


@dataclass(frozen=True)
class UserQuery:
    page: int | None = None
    limit: int | None = None
    search: str | None = None
    role: str | None = None
    kyc_status: str | None = None
    sort_by: str | None = None
    order: str | None = None


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    page: PageInfo


def _one_of(field: str, value: str | None, allowed: list[str]) -> FieldError | None:
    if value is not None and value not in allowed:
        return FieldError(field, f"Must be one of: {', '.join(allowed)}")
    return None


def _filters(query: UserQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.search is not None:
        # ILIKE wildcards in the user's text are matched literally.
        escaped = query.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        filters.append(
            or_(
                User.email.ilike(pattern, escape="\\"),
                User.first_name.ilike(pattern, escape="\\"),
                User.last_name.ilike(pattern, escape="\\"),
                (User.first_name + " " + User.last_name).ilike(pattern, escape="\\"),
            )
        )
    if query.role is not None:
        filters.append(User.role == query.role)
    if query.kyc_status is not None:
        filters.append(User.kyc_status == query.kyc_status)
    return filters


def list_users(db: Database, principal: Principal, query: UserQuery) -> UserPage:
    require(principal, Permission.USERS_READ)
    request = page_request(
        query.page, query.limit, default_limit=DEFAULT_LIMIT, max_limit=MAX_LIMIT
    )
    problems = [
        p
        for p in (
            _one_of("role", query.role, list(FILTERS["role"])),
            _one_of("kycStatus", query.kyc_status, list(FILTERS["kycStatus"])),
            _one_of("sortBy", query.sort_by, list(FILTERS["sortBy"])),
            _one_of("order", query.order, list(FILTERS["order"])),
        )
        if p
    ]
    if query.search is not None and len(query.search.strip()) < MIN_SEARCH_LENGTH:
        problems.append(FieldError("search", f"Must be at least {MIN_SEARCH_LENGTH} characters"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_QUERY, problems)

    column = SORT_COLUMNS[query.sort_by or "createdAt"]
    ordering = column.asc() if query.order == "asc" else column.desc()
    filters = _filters(query)
    with db.transaction() as session:
        total = session.scalar(select(func.count()).select_from(User).where(*filters)) or 0
        users = list(
            session.scalars(
                select(User)
                .where(*filters)
                .order_by(ordering, User.id)
                .offset(request.offset)
                .limit(request.limit)
            )
        )
    return UserPage(users=users, page=page_info(request, total))


def get_user(db: Database, principal: Principal, user_id: str) -> User:
    require(principal, Permission.USERS_READ)
    with db.transaction() as session:
        user = session.get(User, user_id)
    if user is None:
        raise ApiError.not_found(Messages.USER_NOT_FOUND)
    return user


def update_user(
    db: Database, principal: Principal, user_id: str, *, kyc_status: str | None, role: str | None
) -> User:
    require(principal, Permission.USERS_VERIFY)
    if role is not None:
        # Only admins hand out roles: a support or compliance user cannot promote anyone,
        # themselves included.
        require(principal, Permission.ROLES_MANAGE)
    problems = [
        p
        for p in (
            _one_of("kycStatus", kyc_status, [k.value for k in KycStatus]),
            _one_of("role", role, [r.value for r in Role]),
        )
        if p
    ]
    if kyc_status is None and role is None:
        problems.append(FieldError("kycStatus", "Give kycStatus or role"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    with db.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None:
            raise ApiError.not_found(Messages.USER_NOT_FOUND)
        if kyc_status is not None:
            user.kyc_status = kyc_status
        if role is not None:
            user.role = role
        session.flush()
        session.refresh(user)
    return user


def promote_to_admin(db: Database, email: str) -> User:
    """`drop admin promote <email>`: the operator's bootstrap, outside any API call."""
    with db.transaction() as session:
        user = session.scalars(
            select(User).where(User.email == email.strip().lower(), User.deleted_at.is_(None))
        ).one_or_none()
        if user is None:
            raise ApiError.not_found(Messages.USER_NOT_FOUND)
        user.role = Role.ADMIN.value
    return user


# How long an operator's approval lets a BankID sign-in link to a password account.
BANKID_LINK_WINDOW = timedelta(hours=24)


def approve_bankid_link(
    db: Database, principal: Principal, user_id: str, now: datetime | None = None
) -> User:
    """The recovery path once password login is retired: after checking the person's identity
    outside Drop, an operator opens a 24-hour window in which a BankID sign-in with the same
    e-mail (and birth date, where the account has one) links to this account."""
    require(principal, Permission.USERS_VERIFY)
    with db.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None or user.deleted_at is not None:
            raise ApiError.not_found(Messages.USER_NOT_FOUND)
        if user.bankid_subject is not None:
            raise ApiError.conflict("This account is already linked to BankID")
        if not user.email:
            raise ApiError.conflict("This account has no e-mail address to match")
        user.bankid_link_approved_until = (now or datetime.now(UTC)) + BANKID_LINK_WINDOW
        session.flush()
        session.refresh(user)
    return user
