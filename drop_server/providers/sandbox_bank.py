"""A sandbox bank that behaves like a real one: deterministic Norwegian test accounts (DNB,
Nordea, SpareBank 1) with valid MOD11 numbers, consent ids, payment ids, its own ledger (in the
`sandbox_bank_*` tables, through transactions of its own, as a separate party would), payments
that move from pending to completed or failed, and real refusals: a balance at the bank below
the payment, or a payment total equal to DROP_SANDBOX_REJECT_TOTAL (default 4040.00 NOK).

Like a real PISP it deduplicates by the end-to-end reference, remembers refusals, reports a
payment's status by reference, lists payments for reconciliation, and bars a cancelled reference
for good. It never runs inside Drop's transactions: each call is a transaction of its own, on a
database of its own when DROP_SANDBOX_BANK_DATABASE_URL is set."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from drop_server.db.engine import Database
from drop_server.db.models import SandboxBankAccount, SandboxBankPayment
from drop_server.domain.account_numbers import ACCOUNT_WEIGHTS, mod11_check_digit
from drop_server.providers.bank import (
    BankAccountInfo,
    BankPayment,
    BankUnavailable,
    Consent,
    PaymentOrder,
    PaymentOutcome,
    PaymentRejected,
    UnknownBank,
)

# The bank's own statuses beyond pending/completed/failed: refused at initiation, and barred
# (cancelled before any initiation arrived). Neither moved money; both read as failed.
REJECTED = "rejected"
BARRED = "barred"
REFUSED = (REJECTED, BARRED)

# Bank registration numbers (the first four digits of Norwegian account numbers).
BANKS = {"DNB": "1503", "Nordea": "6002", "SpareBank 1": "4212"}


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def test_account_number(owner_reference: str, bank_name: str) -> str:
    """The same owner and bank always get the same valid 11-digit number."""
    seed = _digest(owner_reference, bank_name)
    for attempt in range(20):
        body = BANKS[bank_name] + f"{(seed + attempt) % 1_000_000:06d}"
        check = mod11_check_digit(body, ACCOUNT_WEIGHTS)
        if check is not None:
            return body + str(check)
    raise AssertionError("no valid account number")  # pragma: no cover (MOD11 allows 10 of 11)


def test_balance(owner_reference: str, bank_name: str) -> Decimal:
    seed = _digest("balance", owner_reference, bank_name)
    return Decimal(20_000 + seed % 60_000) + Decimal(seed % 100) / 100


class SandboxBank:
    supported_banks = tuple(BANKS)

    def __init__(self, db: Database, *, reject_total: Decimal) -> None:
        self._db = db
        self._reject_total = reject_total

    # AISP

    def link_accounts(self, owner_reference: str, bank_name: str) -> Consent:
        if bank_name not in BANKS:
            raise UnknownBank(bank_name)
        number = test_account_number(owner_reference, bank_name)
        with self._db.transaction() as session:
            account = session.get(SandboxBankAccount, number)
            if account is None:
                account = SandboxBankAccount(
                    account_number=number,
                    bank_name=bank_name,
                    owner_reference=owner_reference,
                    balance=test_balance(owner_reference, bank_name),
                    currency="NOK",
                )
                session.add(account)
                session.flush()
            info = BankAccountInfo(number, bank_name, account.balance, account.currency)
        return Consent(consent_id=f"consent_{secrets.token_hex(8)}", accounts=[info])

    def read_balance(self, consent_id: str | None, account_number: str) -> Decimal:
        with self._db.transaction() as session:
            account = session.get(SandboxBankAccount, account_number)
            if account is None:
                raise UnknownBank(account_number)
            return account.balance

    def read_payments(self, consent_id: str | None, account_number: str) -> list[BankPayment]:
        with self._db.transaction() as session:
            records = session.scalars(
                select(SandboxBankPayment).where(
                    SandboxBankPayment.debtor_account == account_number
                )
            )
            return [self._answer(record) for record in records]

    # PISP

    def initiate(self, order: PaymentOrder) -> BankPayment:
        try:
            with self._db.transaction() as session:
                # Retries of one reference queue on the debtor's row, so each sees the record the
                # one before it committed: a reference is carried out at most once.
                account = session.get(
                    SandboxBankAccount, order.debtor_account, with_for_update=True
                )
                existing = self._record(session, order.reference)
                if existing is None:
                    existing = self._open(session, order, account)
                answer = self._answer(existing)
        except SQLAlchemyError as exc:
            raise BankUnavailable(str(exc.__class__.__name__)) from None
        if existing.status in REFUSED:
            raise PaymentRejected(f"payment {order.reference} refused by the bank")
        return answer

    def _open(
        self, session: Session, order: PaymentOrder, account: SandboxBankAccount | None
    ) -> SandboxBankPayment:
        refused = (
            account is None or order.amount == self._reject_total or account.balance < order.amount
        )
        if not refused:
            assert account is not None
            account.balance -= order.amount
        payment = SandboxBankPayment(
            payment_id=f"pmt_{secrets.token_hex(12)}",
            reference=order.reference,
            debtor_account=order.debtor_account if account is not None else None,
            amount=order.amount,
            creditor=order.creditor[:200],
            # A refusal is remembered too: a retry of the same reference is refused again.
            status=REJECTED if refused else PaymentOutcome.PENDING.value,
        )
        session.add(payment)
        session.flush()
        return payment

    def payment_status(self, reference: str) -> BankPayment | None:
        with self._db.transaction() as session:
            record = self._record(session, reference)
            return None if record is None else self._answer(record)

    def list_payments(self, references: list[str]) -> dict[str, BankPayment]:
        with self._db.transaction() as session:
            records = session.scalars(
                select(SandboxBankPayment).where(SandboxBankPayment.reference.in_(references))
            )
            return {record.reference: self._answer(record) for record in records}

    def cancel(self, reference: str) -> BankPayment:
        with self._db.transaction() as session:
            session.execute(
                insert(SandboxBankPayment)
                .values(
                    payment_id=f"pmt_{secrets.token_hex(12)}",
                    reference=reference,
                    amount=Decimal(0),
                    creditor="",
                    status=BARRED,
                )
                .on_conflict_do_nothing(index_elements=["reference"])
            )
            record = self._record(session, reference)
            assert record is not None
            return self._answer(record)

    def clear(self, reference: str, outcome: PaymentOutcome) -> BankPayment:
        """The bank decides a pending payment; a decided one keeps its first outcome."""
        with self._db.transaction() as session:
            record = self._record(session, reference, lock=True)
            if record is None:
                raise UnknownBank(reference)
            if record.status == PaymentOutcome.PENDING.value:
                self._finish(session, record, outcome)
            return self._answer(record)

    def _record(
        self, session: Session, reference: str, *, lock: bool = False
    ) -> SandboxBankPayment | None:
        query = select(SandboxBankPayment).where(SandboxBankPayment.reference == reference)
        if lock:
            query = query.with_for_update()
        return session.scalars(query).one_or_none()

    def _finish(
        self, session: Session, payment: SandboxBankPayment, outcome: PaymentOutcome
    ) -> None:
        payment.status = outcome.value
        payment.updated_at = datetime.now(UTC)
        if outcome is PaymentOutcome.FAILED and payment.debtor_account is not None:
            account = session.get(SandboxBankAccount, payment.debtor_account, with_for_update=True)
            assert account is not None
            account.balance += payment.amount

    @staticmethod
    def _answer(record: SandboxBankPayment) -> BankPayment:
        status = (
            PaymentOutcome.FAILED if record.status in REFUSED else PaymentOutcome(record.status)
        )
        return BankPayment(record.payment_id, record.reference, status, record.amount)

    # Clearing, which a real bank does on its own side.

    def clear_due(self, older_than: timedelta) -> list[BankPayment]:
        """Completes pending payments older than `older_than`; returns them."""
        cutoff = datetime.now(UTC) - older_than
        with self._db.transaction() as session:
            due = list(
                session.scalars(
                    select(SandboxBankPayment)
                    .where(
                        SandboxBankPayment.status == PaymentOutcome.PENDING.value,
                        SandboxBankPayment.created_at <= cutoff,
                    )
                    .with_for_update(skip_locked=True)
                    .limit(100)
                )
            )
            for payment in due:
                self._finish(session, payment, PaymentOutcome.COMPLETED)
            return [self._answer(payment) for payment in due]
