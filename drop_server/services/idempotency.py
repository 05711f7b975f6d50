"""Idempotency-Key for payment routes: the same key and body replay the first answer and move no
money twice; the same key with another body is 409. Keys are per user and kept 24 hours.

The key row is written in the transaction that records the payment intent and points at it. A
concurrent duplicate waits on the row's unique index until the first request commits (then it
resumes the same payment) or rolls back (then it runs itself), so retries cannot both pay. The
bank reference is derived from the user, the key and the moment it was claimed: the same for
every retry, another one for a key used again after it expired.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from drop_server.db.models import IdempotencyKey
from drop_server.errors import ApiError, FieldError, Messages

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Claim:
    key: str
    claimed_at: datetime
    # The payment an earlier request with this key started (resume or replay it).
    transaction_id: str | None = None
    # The encoded first answer, for keys written before payments became intents.
    replay: bytes | None = None

    def end_to_end_id(self, user_id: str) -> str:
        material = f"{user_id}\n{self.key}\n{self.claimed_at.isoformat()}".encode()
        return "E2E" + hashlib.sha256(material).hexdigest()[:29]


def fingerprint(kind: str, request: Any) -> str:
    body = json.dumps({"kind": kind, **asdict(request)}, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError("Idempotency-Key", f"Must be 1-{MAX_KEY_LENGTH} printable characters")],
        )
    return key


def claim(session: Session, user_id: str, key: str, request_hash: str) -> Claim:
    """Reserves `key` for this request, or returns the answer stored for it."""
    now = datetime.now(UTC)
    # An expired key is free again.
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at < now - RETENTION,
        )
    )
    inserted = session.execute(
        insert(IdempotencyKey)
        .values(user_id=user_id, key=key, request_hash=request_hash, created_at=now)
        .on_conflict_do_nothing()
        .returning(IdempotencyKey.key)
    ).first()
    if inserted is not None:
        return Claim(key=key, claimed_at=now)
    stored = session.scalars(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    ).one()
    if stored.request_hash != request_hash:
        raise ApiError.conflict("Idempotency-Key was already used with a different request")
    return Claim(
        key=key,
        claimed_at=stored.created_at,
        transaction_id=stored.transaction_id,
        replay=stored.response,
    )


def bind(session: Session, user_id: str, key: str, transaction_id: str) -> None:
    row = session.get(IdempotencyKey, (user_id, key))
    assert row is not None
    row.transaction_id = transaction_id
