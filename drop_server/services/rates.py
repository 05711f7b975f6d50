"""Exchange rates NOK -> currency, kept in the database and changed by operators."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from drop_server.auth.api_keys import Scope
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import ExchangeRate
from drop_server.errors import ApiError, FieldError, Messages

MAX_RATE = Decimal("1000000")


def list_rates(db: Database) -> list[ExchangeRate]:
    with db.transaction() as session:
        return list(session.scalars(select(ExchangeRate).order_by(ExchangeRate.currency)))


def get_rate(db: Database, currency: str) -> ExchangeRate:
    with db.transaction() as session:
        rate = session.get(ExchangeRate, currency.strip().upper())
    if rate is None:
        raise ApiError.not_found("No rate for this currency")
    return rate


def rate_for(session: Session, currency: str) -> ExchangeRate | None:
    return session.get(ExchangeRate, currency)


def update_rate(db: Database, principal: Principal, currency: str, value: float) -> ExchangeRate:
    if not (principal.is_admin or principal.has_scope(Scope.RATES)):
        raise ApiError.forbidden(Messages.ADMIN_REQUIRED)
    code = currency.strip().upper()
    problems = []
    if len(code) != 3 or not code.isalpha():
        problems.append(FieldError("currency", "Must be a 3-letter currency code"))
    try:
        rate = Decimal(repr(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        rate = Decimal(0)
    if not Decimal(0) < rate <= MAX_RATE:
        problems.append(FieldError("rate", "Must be a positive number (at most 6 decimals)"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    with db.transaction() as session:
        row = session.get(ExchangeRate, code, with_for_update=True)
        if row is None:
            # Rates exist for the seeded currencies only; a new corridor comes with a migration.
            raise ApiError.not_found("No rate for this currency")
        row.rate = rate
        row.updated_at = datetime.now(UTC)
    return row
