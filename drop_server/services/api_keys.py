"""API keys: created by an admin over the API (or `drop admin create-api-key` to bootstrap),
listed without their secret, revoked. The secret is returned once and only its SHA-256 is kept;
`sessions.authenticate_api_key` refuses revoked and expired keys on the next call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from drop_server.auth.api_keys import Scope, hash_api_key, key_prefix, new_api_key
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import ApiKey
from drop_server.domain import ids
from drop_server.domain.pagination import PageInfo, page_info, page_request
from drop_server.domain.permissions import Permission
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.services.access import require

MAX_LABEL = 100


@dataclass(frozen=True)
class IssuedKey:
    row: ApiKey
    # The secret itself: in this answer only.
    key: str


@dataclass(frozen=True)
class ApiKeyPage:
    keys: list[ApiKey]
    page: PageInfo


def _validated_scopes(scopes: list[str]) -> list[Scope]:
    allowed = [s.value for s in Scope]
    if not scopes:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, [FieldError("scopes", "Is required")])
    unknown = [s for s in scopes if s not in allowed]
    if unknown:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError("scopes", f"Must each be one of: {', '.join(allowed)}")],
        )
    return list(dict.fromkeys(Scope(s) for s in scopes))


def create_api_key(
    db: Database,
    scopes: list[str],
    label: str | None = None,
    expires_at: datetime | None = None,
    *,
    now: datetime | None = None,
) -> IssuedKey:
    checked = _validated_scopes(scopes)
    problems = []
    label = label.strip() if label is not None else None
    if label is not None and len(label) > MAX_LABEL:
        problems.append(FieldError("label", f"Must be at most {MAX_LABEL} characters"))
    if expires_at is not None and expires_at <= (now or datetime.now(UTC)):
        problems.append(FieldError("expiresAt", "Must be in the future"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    key = new_api_key()
    with db.transaction() as session:
        row = ApiKey(
            id=ids.new_id(ids.API_KEY),
            scopes=[s.value for s in checked],
            key_hash=hash_api_key(key),
            prefix=key_prefix(key),
            label=label or None,
            expires_at=expires_at,
        )
        session.add(row)
        session.flush()
        session.refresh(row)
    return IssuedKey(row=row, key=key)


def issue_api_key(
    db: Database,
    principal: Principal,
    scopes: list[str],
    label: str | None,
    expires_at: datetime | None,
) -> IssuedKey:
    require(principal, Permission.API_KEYS_MANAGE)
    return create_api_key(db, scopes, label, expires_at)


def list_api_keys(
    db: Database, principal: Principal, page: int | None, limit: int | None
) -> ApiKeyPage:
    require(principal, Permission.API_KEYS_MANAGE)
    request = page_request(page, limit, default_limit=20, max_limit=100)
    with db.transaction() as session:
        total = session.scalar(select(func.count()).select_from(ApiKey)) or 0
        keys = list(
            session.scalars(
                select(ApiKey)
                .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
                .offset(request.offset)
                .limit(request.limit)
            )
        )
    return ApiKeyPage(keys, page_info(request, total))


def revoke_api_key(db: Database, principal: Principal, key_id: str) -> ApiKey:
    require(principal, Permission.API_KEYS_MANAGE)
    with db.transaction() as session:
        row = session.get(ApiKey, key_id, with_for_update=True)
        if row is None:
            raise ApiError.not_found("API key not found")
        if row.revoked_at is not None:
            raise ApiError.conflict("This API key is already revoked")
        row.revoked_at = datetime.now(UTC)
        session.flush()
        session.refresh(row)
    return row
