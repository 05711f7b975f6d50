"""Linked bank accounts: link through the AISP, read balances, choose the primary, unlink."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import BankAccount
from drop_server.domain import ids
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.providers.bank import BankProvider, UnknownBank


@dataclass(frozen=True)
class LinkResult:
    accounts: list[BankAccount]
    consent_url: str | None = None


def _active(user_id: str):  # type: ignore[no-untyped-def]
    return select(BankAccount).where(
        BankAccount.user_id == user_id, BankAccount.deleted_at.is_(None)
    )


def owned_account(
    session: Session, user_id: str, account_id: str, *, lock: bool = False
) -> BankAccount:
    query = _active(user_id).where(BankAccount.id == account_id)
    if lock:
        query = query.with_for_update()
    account = session.scalars(query).one_or_none()
    if account is None:
        raise ApiError.not_found("Bank account not found")
    return account


def list_accounts(
    db: Database, bank: BankProvider, principal: Principal, *, refresh: bool
) -> list[BankAccount]:
    assert principal.user_id is not None
    with db.transaction() as session:
        accounts = list(
            session.scalars(
                _active(principal.user_id).order_by(BankAccount.created_at, BankAccount.id)
            )
        )
        if refresh:
            for account in accounts:
                session.refresh(account, with_for_update=True)
                account.balance = bank.read_balance(account.consent_id, account.account_number)
                account.balance_updated_at = datetime.now(UTC)
    return accounts


def link_accounts(
    db: Database, bank: BankProvider, principal: Principal, bank_name: str | None
) -> LinkResult:
    assert principal.user_id is not None
    name = (bank_name or "").strip()
    if not name:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, [FieldError("bankName", "Is required")])
    try:
        consent = bank.link_accounts(principal.user_id, name)
    except UnknownBank:
        supported = ", ".join(bank.supported_banks)
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST, [FieldError("bankName", f"Must be one of: {supported}")]
        ) from None
    if consent.redirect_url is not None:
        return LinkResult(accounts=[], consent_url=consent.redirect_url)
    linked = []
    with db.transaction() as session:
        existing = {
            a.account_number: a
            for a in session.scalars(_active(principal.user_id).with_for_update())
        }
        has_primary = any(a.is_primary for a in existing.values())
        for info in consent.accounts:
            account = existing.get(info.account_number)
            if account is None:
                account = BankAccount(
                    id=ids.new_id(ids.BANK_ACCOUNT),
                    user_id=principal.user_id,
                    bank_name=info.bank_name,
                    account_number=info.account_number,
                    currency=info.currency,
                    is_primary=not has_primary,
                )
                session.add(account)
                has_primary = True
            account.balance = info.balance
            account.consent_id = consent.consent_id
            account.balance_updated_at = datetime.now(UTC)
            linked.append(account)
        session.flush()
        for account in linked:
            session.refresh(account)
    return LinkResult(accounts=linked)


def make_primary(
    db: Database, principal: Principal, account_id: str, is_primary: bool | None
) -> BankAccount:
    assert principal.user_id is not None
    if is_primary is not True:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST,
            [FieldError("isPrimary", "Must be true: choose the account that becomes primary")],
        )
    with db.transaction() as session:
        account = owned_account(session, principal.user_id, account_id, lock=True)
        session.execute(
            update(BankAccount)
            .where(BankAccount.user_id == principal.user_id, BankAccount.id != account.id)
            .values(is_primary=False)
        )
        account.is_primary = True
    return account


def unlink(db: Database, principal: Principal, account_id: str) -> None:
    """Soft delete: past transactions keep their account. The oldest remaining account becomes
    primary, so a user with accounts always has exactly one primary."""
    assert principal.user_id is not None
    with db.transaction() as session:
        account = owned_account(session, principal.user_id, account_id, lock=True)
        account.deleted_at = datetime.now(UTC)
        if account.is_primary:
            account.is_primary = False
            session.flush()
            successor = session.scalars(
                _active(principal.user_id).order_by(BankAccount.created_at, BankAccount.id).limit(1)
            ).one_or_none()
            if successor is not None:
                successor.is_primary = True
