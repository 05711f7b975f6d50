"""App settings per user, created with defaults on first read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from drop.v1 import settings_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import UserSettings
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import allowed

# Allowed values come from the request's `(drop.v1.rules)` in the .proto, which the OpenAPI
# document shows too: declared once.
CURRENCIES = allowed(settings_pb2.UpdateSettingsRequest, "currency")
LANGUAGES = allowed(settings_pb2.UpdateSettingsRequest, "language")
DEFAULTS = {"currency": "NOK", "language": "nb", "push_enabled": True, "email_enabled": True}


@dataclass(frozen=True)
class SettingsChange:
    currency: str | None = None
    language: str | None = None
    push_enabled: bool | None = None
    email_enabled: bool | None = None


def _ensure(session: Session, user_id: str) -> UserSettings:
    session.execute(
        insert(UserSettings).values(user_id=user_id, **DEFAULTS).on_conflict_do_nothing()
    )
    row = session.get(UserSettings, user_id, with_for_update=True)
    assert row is not None
    return row


def get_settings(db: Database, principal: Principal) -> UserSettings:
    assert principal.user_id is not None
    with db.transaction() as session:
        return _ensure(session, principal.user_id)


def update_settings(db: Database, principal: Principal, change: SettingsChange) -> UserSettings:
    assert principal.user_id is not None
    problems = []
    if change.currency is not None and change.currency not in CURRENCIES:
        problems.append(FieldError("currency", f"Must be one of: {', '.join(CURRENCIES)}"))
    if change.language is not None and change.language not in LANGUAGES:
        problems.append(FieldError("language", f"Must be one of: {', '.join(LANGUAGES)}"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    with db.transaction() as session:
        row = _ensure(session, principal.user_id)
        for field in ("currency", "language", "push_enabled", "email_enabled"):
            value = getattr(change, field)
            if value is not None:
                setattr(row, field, value)
        row.updated_at = datetime.now(UTC)
    return row
