"""Periodic clean-up (the `drop.housekeeping` job): idempotency keys past their 24 hours, BankID
sign-ins past their ten minutes and failed password sign-ins older than a day are deleted
(they are refused or forgotten by age already; this keeps the tables small); finished webhook
deliveries and events after 30 days."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from drop_server.db.engine import Database
from drop_server.db.models import BankIdLogin, IdempotencyKey
from drop_server.services import sign_in_throttle, webhook_delivery
from drop_server.services.bankid import STATE_LIFETIME
from drop_server.services.idempotency import RETENTION

log = logging.getLogger(__name__)


def purge_expired(db: Database, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    with db.transaction() as session:
        keys = session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at < now - RETENTION)
        )
        logins = session.execute(
            delete(BankIdLogin).where(
                BankIdLogin.created_at < now - STATE_LIFETIME - timedelta(hours=1)
            )
        )
        failures = sign_in_throttle.purge_stale(session, now)
        webhook_history = webhook_delivery.purge_old(session, now)
    return int(keys.rowcount) + int(logins.rowcount) + failures + webhook_history
