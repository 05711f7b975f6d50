"""Settlement: what a PISP status report does to a remittance. Only `processing` can settle,
once; a `failed` one gives the cached balance back exactly once (the status guard)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from sqlalchemy import select

from drop_server.auth.api_keys import Scope
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, Transaction, TransactionEvent
from drop_server.domain.payments import TransactionStatus
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.providers.bank import BankProvider, PaymentOutcome
from drop_server.services.notifications import notify

OUTCOMES = {"completed": PaymentOutcome.COMPLETED, "failed": PaymentOutcome.FAILED}


def settle(
    db: Database, bank: BankProvider, principal: Principal, transaction_id: str, outcome: str | None
) -> Transaction:
    if not (principal.is_admin or principal.has_scope(Scope.SETTLEMENT)):
        raise ApiError.forbidden(Messages.ADMIN_REQUIRED)
    if outcome not in OUTCOMES:
        raise ApiError.bad_request(
            Messages.INVALID_REQUEST, [FieldError("outcome", "Must be completed or failed")]
        )
    with db.transaction() as session:
        tx = session.get(Transaction, transaction_id, with_for_update=True)
        if tx is None:
            raise ApiError.not_found("Transaction not found")
        if tx.status != TransactionStatus.PROCESSING.value:
            raise ApiError.conflict(f"Transaction is already {tx.status}")
        payment_id = tx.payment_id
    bank.reconcile(payment_id, OUTCOMES[outcome])
    return apply_outcome(db, transaction_id, OUTCOMES[outcome])


def apply_outcome(db: Database, transaction_id: str, outcome: PaymentOutcome) -> Transaction:
    with db.transaction() as session:
        tx = session.get(Transaction, transaction_id, with_for_update=True)
        if tx is None:
            raise ApiError.not_found("Transaction not found")
        if tx.status != TransactionStatus.PROCESSING.value:
            raise ApiError.conflict(f"Transaction is already {tx.status}")
        now = datetime.now(UTC)
        if outcome is PaymentOutcome.COMPLETED:
            tx.status = TransactionStatus.COMPLETED.value
            tx.completed_at = now
            title, body = "Money delivered", f"{tx.amount} NOK to {tx.recipient_name} has arrived."
        else:
            tx.status = TransactionStatus.FAILED.value
            account = session.get(BankAccount, tx.bank_account_id, with_for_update=True)
            assert account is not None
            account.balance += tx.total
            title, body = (
                "Transfer failed",
                f"{tx.amount} NOK to {tx.recipient_name} failed; {tx.total} NOK is back.",
            )
        session.add(
            TransactionEvent(transaction_id=tx.id, status=tx.status, note="PISP status report")
        )
        notify(session, tx.user_id, f"remittance_{tx.status}", title, body)
    return tx


def apply_report_for_payment(db: Database, payment_id: str, outcome: PaymentOutcome) -> None:
    """The PISP's report names its own payment id; remittances already settled are left alone."""
    with db.transaction() as session:
        tx_id = session.scalar(
            select(Transaction.id).where(
                Transaction.payment_id == payment_id,
                Transaction.status == TransactionStatus.PROCESSING.value,
            )
        )
    if tx_id is not None:
        with contextlib.suppress(ApiError):  # settled by another report in between
            apply_outcome(db, tx_id, outcome)
