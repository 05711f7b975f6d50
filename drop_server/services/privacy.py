"""GDPR: the data export and account erasure. Financial records stay (hvitvaskingsloven: five
years); the person can no longer sign in or be found by sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import (
    BankAccount,
    Consent,
    DataAccessRequest,
    Recipient,
    Transaction,
    User,
    UserSettings,
)
from drop_server.domain import ids
from drop_server.services.sessions import revoke_all_sessions
from drop_server.services.user_settings import get_settings

ERASURE_MESSAGE = "Account scheduled for deletion"
RETENTION_NOTE = "Data retained for 5 years per AML requirements"


@dataclass(frozen=True)
class DataExport:
    user: User
    transactions: list[Transaction]
    recipients: list[Recipient]
    bank_accounts: list[BankAccount]
    settings: UserSettings
    consents: list[Consent]
    exported_at: datetime


def export_data(db: Database, principal: Principal) -> DataExport:
    settings = get_settings(db, principal)
    now = datetime.now(UTC)
    with db.transaction() as session:
        user = session.get(User, principal.user_id)
        assert user is not None
        mine = principal.user_id
        export = DataExport(
            user=user,
            transactions=list(
                session.scalars(
                    select(Transaction)
                    .where(Transaction.user_id == mine)
                    .order_by(Transaction.created_at)
                )
            ),
            recipients=list(
                session.scalars(
                    select(Recipient)
                    .where(Recipient.user_id == mine)
                    .order_by(Recipient.created_at)
                )
            ),
            bank_accounts=list(
                session.scalars(
                    select(BankAccount)
                    .where(BankAccount.user_id == mine)
                    .order_by(BankAccount.created_at)
                )
            ),
            settings=settings,
            consents=list(
                session.scalars(
                    select(Consent).where(Consent.user_id == mine).order_by(Consent.consent_type)
                )
            ),
            exported_at=now,
        )
        session.add(
            DataAccessRequest(
                id=ids.new_id("dar"),
                user_id=mine,
                type="export",
                status="completed",
                completed_at=now,
            )
        )
    return export


def erase_account(db: Database, principal: Principal) -> None:
    """Soft delete: every session ends at once and sign-in no longer finds the user."""
    assert principal.user_id is not None
    now = datetime.now(UTC)
    with db.transaction() as session:
        user = session.get(User, principal.user_id, with_for_update=True)
        assert user is not None
        user.deleted_at = now
        revoke_all_sessions(session, user.id)
        session.add(
            DataAccessRequest(
                id=ids.new_id("dar"),
                user_id=user.id,
                type="erasure",
                status="completed",
                completed_at=now,
            )
        )
