"""Settlement: a remittance follows the bank. The admin route (what a PISP status callback does),
the sandbox clearing and reconciliation all end in `apply_bank_status`: one transaction with the
transaction row locked, only `processing -> completed | failed`, exactly once; `failed` gives the
reservation back. A report that contradicts the bank's own status is refused, not applied."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from drop_server.auth.api_keys import Scope
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, Transaction, TransactionEvent
from drop_server.domain.payments import TransactionStatus
from drop_server.errors import ApiError, ErrorCode, FieldError, Messages
from drop_server.providers.bank import (
    BankPayment,
    BankProvider,
    ClearingSimulation,
    PaymentOutcome,
)
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
    reported = OUTCOMES[outcome]
    with db.transaction() as session:
        tx = session.get(Transaction, transaction_id)
        _require_settleable(tx)
        assert tx is not None
        reference = tx.end_to_end_id
    try:
        payment = bank.payment_status(reference)
        if (
            payment is not None
            and not payment.status.final
            and isinstance(bank, ClearingSimulation)
        ):
            # The sandbox bank decides its pending payment as reported; a real bank's callback
            # reports what it already decided. Either way the bank's first decision stands.
            payment = bank.clear(reference, reported)
    except Exception:
        raise ApiError(
            ErrorCode.SERVICE_UNAVAILABLE, "The bank could not be asked; retry later"
        ) from None
    if payment is None or not payment.status.final:
        raise ApiError.conflict("The bank has not settled this payment")
    if payment.status is not reported:
        raise ApiError.conflict(f"The bank reports this payment {payment.status.value}")
    settled = apply_bank_status(db, transaction_id, payment.status, strict=True)
    assert settled is not None
    return settled


def _require_settleable(tx: Transaction | None) -> None:
    if tx is None:
        raise ApiError.not_found("Transaction not found")
    if tx.status != TransactionStatus.PROCESSING.value:
        raise ApiError.conflict(f"Transaction is already {tx.status}")
    if tx.payment_id is None:
        raise ApiError.conflict("The bank has not accepted this payment yet")


def apply_bank_status(
    db: Database, transaction_id: str, outcome: PaymentOutcome, *, strict: bool = False
) -> Transaction | None:
    """Applies the bank's final status once. Not `strict`: a payment already settled (by a
    concurrent report) is left alone and None returned; `strict`: that is a 409."""
    with db.transaction() as session:
        tx = session.get(Transaction, transaction_id, with_for_update=True)
        try:
            _require_settleable(tx)
        except ApiError:
            if strict:
                raise
            return None
        assert tx is not None
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
            TransactionEvent(transaction_id=tx.id, status=tx.status, note="settled by the bank")
        )
        notify(session, tx.user_id, f"remittance_{tx.status}", title, body)
    return tx


def apply_bank_report(db: Database, payment: BankPayment) -> Transaction | None:
    """A bank's status report names its end-to-end reference; settled ones are left alone."""
    if not payment.status.final:
        return None
    with db.transaction() as session:
        tx_id = session.scalar(
            select(Transaction.id).where(Transaction.end_to_end_id == payment.reference)
        )
    return None if tx_id is None else apply_bank_status(db, tx_id, payment.status)
