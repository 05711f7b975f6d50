"""People users send money to. The full account number is stored (the payment needs it) and
never shown again beyond its last four digits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drop.v1 import recipients_pb2
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Recipient
from drop_server.domain import ids
from drop_server.domain.account_numbers import recipient_account_problem
from drop_server.domain.corridors import CORRIDORS, corridor
from drop_server.domain.pagination import PageInfo, page_info, page_request
from drop_server.domain.users import name_problem
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.field_rules import maximum

MAX_BANK_NAME = 200


@dataclass(frozen=True)
class NewRecipient:
    name: str | None
    country: str | None
    currency: str | None
    bank_account: str | None
    bank_name: str | None


@dataclass(frozen=True)
class RecipientPage:
    recipients: list[Recipient]
    page: PageInfo


def owned_recipient(session: Session, user_id: str, recipient_id: str) -> Recipient:
    recipient = session.scalars(
        select(Recipient).where(
            Recipient.id == recipient_id,
            Recipient.user_id == user_id,
            Recipient.deleted_at.is_(None),
        )
    ).one_or_none()
    if recipient is None:
        raise ApiError.not_found("Recipient not found")
    return recipient


def _validated(form: NewRecipient) -> Recipient:
    required = {
        "name": form.name,
        "country": form.country,
        "currency": form.currency,
        "bankAccount": form.bank_account,
    }
    missing = [
        FieldError(field, "Is required") for field, value in required.items() if value is None
    ]
    if missing:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, missing)
    assert form.name is not None and form.country is not None
    assert form.currency is not None and form.bank_account is not None
    problems = []
    if problem := name_problem(form.name):
        problems.append(FieldError("name", problem))
    route = corridor(form.country)
    if route is None:
        problems.append(FieldError("country", f"Must be one of: {', '.join(CORRIDORS)}"))
    elif form.currency.strip().upper() != route.currency:
        problems.append(
            FieldError("currency", f"Must be {route.currency} for {route.country_name}")
        )
    account = form.bank_account.replace(" ", "").upper()
    if problem := recipient_account_problem(account, route.country if route else None):
        problems.append(FieldError("bankAccount", problem))
    bank_name = (form.bank_name or "").strip()
    if len(bank_name) > MAX_BANK_NAME:
        problems.append(FieldError("bankName", f"Must be at most {MAX_BANK_NAME} characters"))
    if problems:
        raise ApiError.bad_request(Messages.INVALID_REQUEST, problems)
    assert route is not None
    return Recipient(
        id=ids.new_id("rcp"),
        name=form.name.strip(),
        country=route.country,
        currency=route.currency,
        bank_account=account.upper(),
        bank_name=bank_name,
    )


def create_recipient(db: Database, principal: Principal, form: NewRecipient) -> Recipient:
    recipient = _validated(form)
    recipient.user_id = principal.user_id  # type: ignore[assignment]
    with db.transaction() as session:
        session.add(recipient)
        session.flush()
        session.refresh(recipient)
    return recipient


def list_recipients(
    db: Database, principal: Principal, page: int | None, limit: int | None
) -> RecipientPage:
    # At most the `maximum` of the request's `limit` in the .proto (shown in the OpenAPI too).
    most = int(maximum(recipients_pb2.ListRecipientsRequest, "limit"))
    request = page_request(page, limit, default_limit=20, max_limit=most)
    with db.transaction() as session:
        mine = (Recipient.user_id == principal.user_id, Recipient.deleted_at.is_(None))
        total = session.scalar(select(func.count()).select_from(Recipient).where(*mine)) or 0
        rows = list(
            session.scalars(
                select(Recipient)
                .where(*mine)
                .order_by(Recipient.created_at.desc(), Recipient.id)
                .offset(request.offset)
                .limit(request.limit)
            )
        )
    return RecipientPage(rows, page_info(request, total))


def delete_recipient(db: Database, principal: Principal, recipient_id: str) -> None:
    assert principal.user_id is not None
    with db.transaction() as session:
        recipient = owned_recipient(session, principal.user_id, recipient_id)
        recipient.deleted_at = datetime.now(UTC)
