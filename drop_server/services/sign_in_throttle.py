"""The per-account sign-in throttle: failed password attempts per account, kept in
PostgreSQL so that every worker process sees the same count."""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from drop_server.db.engine import Database
from drop_server.db.models.sign_in import SignInFailures
from drop_server.domain.sign_in_backoff import lock_seconds
from drop_server.errors import ApiError, ErrorCode

TOO_MANY_FAILURES = "Too many failed sign-ins for this account; try again later"
# Failures older than this, on an account not locked now, are forgotten by housekeeping:
# every mistyped or unknown email leaves a row, and the table must not grow for ever.
RETENTION = timedelta(days=1)


def account_key(normalized_email: str) -> str:
    return hashlib.sha256(normalized_email.encode()).hexdigest()


def refuse_if_locked(db: Database, key: str) -> None:
    """429 rate_limited with Retry-After while the account is locked."""
    now = datetime.now(UTC)
    with db.transaction() as session:
        row = session.get(SignInFailures, key)
        locked_until = row.locked_until if row is not None else None
    if locked_until is not None and locked_until > now:
        wait = math.ceil((locked_until - now).total_seconds())
        raise ApiError(ErrorCode.RATE_LIMITED, TOO_MANY_FAILURES, retry_after_seconds=wait)


def record_failure(db: Database, key: str) -> None:
    now = datetime.now(UTC)
    with db.transaction() as session:
        statement = insert(SignInFailures).values(
            account_key=key, failures=1, locked_until=None, updated_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=[SignInFailures.account_key],
            set_={"failures": SignInFailures.failures + 1, "updated_at": now},
        ).returning(SignInFailures.failures)
        failures = session.execute(statement).scalar_one()
        seconds = lock_seconds(failures)
        if seconds:
            row = session.get(SignInFailures, key)
            assert row is not None
            row.locked_until = now + timedelta(seconds=seconds)


def clear(session: Session, key: str) -> None:
    """A successful sign-in starts the count again."""
    session.execute(delete(SignInFailures).where(SignInFailures.account_key == key))


def purge_stale(session: Session, now: datetime) -> int:
    result = session.execute(
        delete(SignInFailures).where(
            SignInFailures.updated_at < now - RETENTION,
            or_(SignInFailures.locked_until.is_(None), SignInFailures.locked_until < now),
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
