"""Housekeeping forgets old failed sign-ins, but never an account's current lock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from drop_server.db.engine import Database
from drop_server.db.models.sign_in import SignInFailures
from drop_server.services.housekeeping import purge_expired


def test_old_failures_go_and_current_locks_stay(api_db: Database) -> None:
    now = datetime.now(UTC)
    old = now - timedelta(days=2)
    keys = {name: f"{name}-{uuid.uuid4().hex}" for name in ("old", "locked", "recent")}
    with api_db.transaction() as session:
        session.add(SignInFailures(account_key=keys["old"], failures=3, updated_at=old))
        session.add(
            SignInFailures(
                account_key=keys["locked"],
                failures=20,
                locked_until=now + timedelta(minutes=10),
                updated_at=old,
            )
        )
        session.add(SignInFailures(account_key=keys["recent"], failures=1, updated_at=now))
    purge_expired(api_db)
    with api_db.transaction() as session:
        left = {name for name, key in keys.items() if session.get(SignInFailures, key)}
    assert left == {"locked", "recent"}
