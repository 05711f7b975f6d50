"""Sessions: every JWT is backed by a row that can be revoked or expire."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from drop_server.auth.api_keys import Scope, hash_api_key
from drop_server.auth.principal import Principal
from drop_server.auth.tokens import InvalidToken, issue_token, read_token
from drop_server.db.engine import Database
from drop_server.db.models import ApiKey, AuthSession, User
from drop_server.domain import ids
from drop_server.domain.users import Role
from drop_server.errors import ApiError, Messages


class ClientKind(StrEnum):
    WEB = "web"
    MOBILE = "mobile"


SESSION_LIFETIME = {ClientKind.WEB: timedelta(hours=24), ClientKind.MOBILE: timedelta(days=7)}


@dataclass(frozen=True)
class SessionGrant:
    token: str
    session_id: str
    client: ClientKind
    expires_at: datetime

    @property
    def max_age_seconds(self) -> int:
        return int(SESSION_LIFETIME[self.client].total_seconds())


def now() -> datetime:
    return datetime.now(UTC)


def start_session(session: Session, secret: str, user: User, client: ClientKind) -> SessionGrant:
    issued_at = now().replace(microsecond=0)
    expires_at = issued_at + SESSION_LIFETIME[client]
    row = AuthSession(
        id=ids.new_id(ids.SESSION), user_id=user.id, client=client.value, expires_at=expires_at
    )
    session.add(row)
    token = issue_token(
        secret,
        user_id=user.id,
        session_id=row.id,
        role=user.role,
        issued_at=issued_at,
        expires_at=expires_at,
    )
    return SessionGrant(token=token, session_id=row.id, client=client, expires_at=expires_at)


# A session that still signs its user in: not revoked, not expired, its user not erased.
_LIVE = (
    AuthSession.revoked_at.is_(None),
    AuthSession.expires_at > func.now(),
    User.deleted_at.is_(None),
)


def live_sessions(db: Database, session_ids: Collection[str]) -> set[str]:
    """Which of these sessions are still live: open event streams end when theirs is not."""
    if not session_ids:
        return set()
    with db.transaction() as session:
        rows = session.execute(
            select(AuthSession.id)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.id.in_(list(session_ids)), *_LIVE)
        )
        return {row[0] for row in rows}


def authenticate_token(db: Database, secret: str, token: str) -> Principal:
    """A valid signature is not enough: the session must be live and the user not deleted.
    The role comes from the database, so a promotion or demotion applies at once."""
    try:
        claims = read_token(secret, token)
    except InvalidToken:
        raise ApiError.unauthorized(Messages.SESSION_INVALID) from None
    with db.transaction() as session:
        row = session.execute(
            select(AuthSession.id, User.id, User.role)
            .join(User, User.id == AuthSession.user_id)
            .where(
                AuthSession.id == claims.session_id,
                AuthSession.user_id == claims.user_id,
                *_LIVE,
            )
        ).one_or_none()
    if row is None:
        raise ApiError.unauthorized(Messages.SESSION_INVALID)
    session_id, user_id, role = row
    return Principal(user_id=user_id, session_id=session_id, role=Role(role))


# `last_used_at` is written at most this often per key, so busy keys cost no write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def authenticate_api_key(db: Database, key: str) -> Principal:
    """Revoked and expired keys are refused on the very next call: nothing is cached."""
    moment = now()
    with db.transaction() as session:
        row = session.execute(
            select(ApiKey.id, ApiKey.scopes, ApiKey.last_used_at).where(
                ApiKey.key_hash == hash_api_key(key),
                ApiKey.revoked_at.is_(None),
                or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > moment),
            )
        ).one_or_none()
        if row is None:
            raise ApiError.unauthorized(Messages.API_KEY_INVALID)
        key_id, scopes, last_used_at = row
        if last_used_at is None or last_used_at < moment - LAST_USED_RESOLUTION:
            session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=moment))
    return Principal(api_key_id=key_id, scopes=frozenset(Scope(s) for s in scopes))


def revoke_all_sessions(session: Session, user_id: str) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now())
    )


def revoke_session(session: Session, session_id: str) -> bool:
    """True when this call revoked it; False when another call got there first."""
    result = session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now())
    )
    return result.rowcount == 1
