"""The compliance view of privacy records: data-access requests (exports and the erasure
audit) and a user's consent history. Read only; the records themselves are append-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Consent, ConsentEvent, DataAccessRequest, User
from drop_server.domain.pagination import PageInfo, page_info, page_request
from drop_server.domain.permissions import Permission
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.services.access import require

REQUEST_TYPES = ("export", "erasure")


@dataclass(frozen=True)
class RequestPage:
    requests: list[DataAccessRequest]
    page: PageInfo


@dataclass(frozen=True)
class ConsentHistoryEntry:
    consent_type: str
    granted: bool
    ip_address: str
    created_at: datetime


def list_data_access_requests(
    db: Database,
    principal: Principal,
    page: int | None,
    limit: int | None,
    request_type: str | None,
    user_id: str | None,
) -> RequestPage:
    require(principal, Permission.PRIVACY_AUDIT)
    request = page_request(page, limit, default_limit=20, max_limit=100)
    if request_type is not None and request_type not in REQUEST_TYPES:
        raise ApiError.bad_request(
            Messages.INVALID_QUERY, [FieldError("type", "Must be export or erasure")]
        )
    filters: list[ColumnElement[bool]] = []
    if request_type is not None:
        filters.append(DataAccessRequest.type == request_type)
    if user_id is not None:
        filters.append(DataAccessRequest.user_id == user_id)
    with db.transaction() as session:
        total = (
            session.scalar(select(func.count()).select_from(DataAccessRequest).where(*filters)) or 0
        )
        rows = list(
            session.scalars(
                select(DataAccessRequest)
                .where(*filters)
                .order_by(DataAccessRequest.created_at.desc(), DataAccessRequest.id.desc())
                .offset(request.offset)
                .limit(request.limit)
            )
        )
    return RequestPage(rows, page_info(request, total))


def consent_history(db: Database, principal: Principal, user_id: str) -> list[ConsentHistoryEntry]:
    require(principal, Permission.PRIVACY_AUDIT)
    with db.transaction() as session:
        if session.get(User, user_id) is None:
            raise ApiError.not_found(Messages.USER_NOT_FOUND)
        rows = session.execute(
            select(
                Consent.consent_type,
                ConsentEvent.granted,
                ConsentEvent.ip_address,
                ConsentEvent.created_at,
            )
            .join(Consent, Consent.id == ConsentEvent.consent_id)
            .where(Consent.user_id == user_id)
            .order_by(ConsentEvent.created_at, ConsentEvent.id)
        ).all()
    return [ConsentHistoryEntry(*row) for row in rows]
