"""The life of a payment between Drop and the bank, in short transactions of Drop's own with
the bank called between them, never inside one.

States (`transactions.status`, and whether the bank's `payment_id` is known):

- **intent** — `processing`, no `payment_id`: the amount is reserved against the cached balance
  and the row is committed *before* the bank is called. The bank may or may not have the
  payment; clients see it as `processing`, never as failed, until that is known.
- **processing** — a remittance the bank accepted (pending there) until it settles.
- **completed** — a QR payment the bank accepted; a remittance the bank carried out.
- **failed** — a remittance the bank failed (reservation released), or an intent the bank never
  carried out (found by reconciliation and barred at the bank: it can never arrive later).
- **rejected** — the bank refused it when asked; the reservation is released and the client was
  told 422. Never listed: no money moved and no payment was ever shown.

Every step locks the transaction row and checks the state it expects, so the request, its
retries and reconciliation can all drive one payment and it still moves at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from drop_server.db.engine import Database
from drop_server.db.faults import database_unavailable
from drop_server.db.models import (
    BankAccount,
    IdempotencyKey,
    Merchant,
    Recipient,
    Transaction,
    TransactionEvent,
    User,
)
from drop_server.domain.corridors import corridor
from drop_server.domain.payments import REJECTED, PaymentType, TransactionStatus
from drop_server.errors import ApiError, ErrorCode, FieldError
from drop_server.providers.bank import (
    BankPayment,
    BankProvider,
    PaymentOrder,
    PaymentOutcome,
    PaymentRejected,
)
from drop_server.services import settlement
from drop_server.services.notifications import notify

log = logging.getLogger(__name__)

UNKNOWN_OUTCOME = (
    "The payment's outcome could not be recorded; retry with the same Idempotency-Key "
    "(without one, see GET /api/transactions: nothing is lost, an open payment is resolved "
    "with the bank within a minute)"
)


def unknown_outcome() -> ApiError:
    return ApiError(ErrorCode.SERVICE_UNAVAILABLE, UNKNOWN_OUTCOME)


def bank_refused() -> ApiError:
    return ApiError.validation([FieldError("amount", "Your bank rejected the payment")])


@contextmanager
def outcome_unknown_on_database_fault() -> Iterator[None]:
    """A database that does not answer while a payment is recorded leaves its outcome unknown
    to the client: a retryable 503 (the intent, if written, is driven by a retry or by
    reconciliation), never a 500."""
    try:
        yield
    except Exception as error:
        if database_unavailable(error):
            raise unknown_outcome() from None
        raise


def in_flight(tx: Transaction) -> bool:
    return tx.status == TransactionStatus.PROCESSING.value and tx.payment_id is None


def order_for(session: Session, tx: Transaction) -> PaymentOrder:
    account = session.get(BankAccount, tx.bank_account_id)
    assert account is not None
    if tx.recipient_id is not None:
        recipient = session.get(Recipient, tx.recipient_id)
        assert recipient is not None
        creditor = f"{recipient.name} {recipient.bank_account}"
    else:
        merchant = session.get(Merchant, tx.merchant_id)
        assert merchant is not None
        creditor = f"{merchant.business_name} {merchant.payout_account}"
    return PaymentOrder(tx.end_to_end_id, account.account_number, tx.total, creditor)


def drive(
    db: Database, bank: BankProvider, transaction_id: str, order: PaymentOrder | None = None
) -> Transaction:
    """Asks the bank for an intent's payment (again: the bank deduplicates by reference) and
    records its answer. Raises 422 when the bank refuses and 503 when the outcome is unknown.
    `order` is given by the request that has just committed the intent, which saves reading it
    back; `record` checks the state under the row lock either way."""
    if order is None:
        with outcome_unknown_on_database_fault(), db.transaction() as session:
            tx = session.get(Transaction, transaction_id)
            assert tx is not None
            if not in_flight(tx):
                return tx
            order = order_for(session, tx)
    try:
        payment = bank.initiate(order)
    except PaymentRejected:
        try:
            reject(db, transaction_id)
        except Exception as error:
            if not database_unavailable(error):
                raise
            # Reconciliation finds the refusal at the bank and releases the reservation.
            log.warning("payment %s refused by the bank; recording it failed", transaction_id)
        raise bank_refused() from None
    except Exception:
        # A timeout, a lost answer: the bank may have the payment. The intent stays open for
        # a retry or for reconciliation to find out.
        log.warning("payment %s: the bank's answer is unknown", transaction_id, exc_info=True)
        raise unknown_outcome() from None
    with outcome_unknown_on_database_fault():
        return record(db, transaction_id, payment)


def record(db: Database, transaction_id: str, payment: BankPayment) -> Transaction:
    """Records what the bank has for an intent. A no-op when someone recorded it first."""
    with db.transaction() as session:
        tx = session.get(Transaction, transaction_id, with_for_update=True)
        assert tx is not None
        if not in_flight(tx):
            return tx
        if payment.status is PaymentOutcome.FAILED:
            _fail(session, tx, "not carried out by the bank")
            return tx
        _accept(session, tx, payment.payment_id)
    if payment.status is PaymentOutcome.COMPLETED and tx.type == PaymentType.REMITTANCE:
        settled = settlement.apply_bank_status(db, transaction_id, PaymentOutcome.COMPLETED)
        return settled or tx
    return tx


def reject(db: Database, transaction_id: str) -> None:
    """The bank refused the payment: release the reservation; its key may be used again."""
    with db.transaction() as session:
        tx = session.get(Transaction, transaction_id, with_for_update=True)
        assert tx is not None
        if not in_flight(tx):
            return
        tx.status = REJECTED
        _release(session, tx)
        session.add(
            TransactionEvent(transaction_id=tx.id, status=tx.status, note="refused by the bank")
        )
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.transaction_id == tx.id))


def _accept(session: Session, tx: Transaction, payment_id: str) -> None:
    tx.payment_id = payment_id
    if tx.type == PaymentType.QR_PAYMENT:
        tx.status = TransactionStatus.COMPLETED.value
        tx.completed_at = datetime.now(UTC)
        note = "paid at once"
    else:
        note = "initiated with the PISP"
    session.add(TransactionEvent(transaction_id=tx.id, status=tx.status, note=note))
    if tx.type == PaymentType.REMITTANCE:
        route = corridor(tx.recipient_country or "")
        assert route is not None
        notify(
            session,
            tx.user_id,
            "remittance_created",
            "Money on its way",
            f"{tx.amount} NOK to {tx.recipient_name} is being sent ({route.eta}).",
        )
        return
    merchant = session.get(Merchant, tx.merchant_id)
    payer = session.get(User, tx.user_id)
    assert merchant is not None and payer is not None
    notify(
        session,
        tx.user_id,
        "qr_payment_made",
        "Payment sent",
        f"You paid {tx.amount} NOK to {tx.merchant_name}.",
    )
    notify(
        session,
        merchant.user_id,
        "qr_payment_received",
        "Payment received",
        f"{payer.first_name} {payer.last_name[:1]}. paid you {tx.amount} NOK.",
    )


def _fail(session: Session, tx: Transaction, note: str) -> None:
    tx.status = TransactionStatus.FAILED.value
    _release(session, tx)
    session.add(TransactionEvent(transaction_id=tx.id, status=tx.status, note=note))
    notify(
        session,
        tx.user_id,
        f"{tx.type}_failed",
        "Payment not carried out",
        f"Your payment of {tx.amount} NOK could not be completed; {tx.total} NOK is back.",
    )


def _release(session: Session, tx: Transaction) -> None:
    account = session.get(BankAccount, tx.bank_account_id, with_for_update=True)
    assert account is not None
    account.balance += tx.total
