"""A sandbox bank that behaves like a real one: deterministic Norwegian test accounts (DNB,
Nordea, SpareBank 1) with valid MOD11 numbers, consent ids, payment ids, its own ledger (in the
`sandbox_bank_*` tables, through transactions of its own, as a separate party would), payments
that move from pending to completed or failed, and real refusals: a balance at the bank below
the payment, or a payment total equal to DROP_SANDBOX_REJECT_TOTAL (default 4040.00 NOK)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from drop_server.db.engine import Database
from drop_server.db.models import SandboxBankAccount, SandboxBankPayment
from drop_server.domain.account_numbers import ACCOUNT_WEIGHTS, mod11_check_digit
from drop_server.providers.bank import (
    BankAccountInfo,
    Consent,
    PaymentOutcome,
    PaymentRejected,
    UnknownBank,
)

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

    # PISP

    def initiate(self, reference: str, debtor_account: str, amount: Decimal, creditor: str) -> str:
        with self._db.transaction() as session:
            existing = session.scalars(
                select(SandboxBankPayment).where(SandboxBankPayment.reference == reference)
            ).one_or_none()
            if existing is not None:
                return existing.payment_id
            account = session.get(SandboxBankAccount, debtor_account, with_for_update=True)
            if account is None:
                raise PaymentRejected("unknown debtor account")
            if amount == self._reject_total:
                raise PaymentRejected("payment refused by the bank (sandbox rule)")
            if account.balance < amount:
                raise PaymentRejected("insufficient funds at the bank")
            account.balance -= amount
            payment = SandboxBankPayment(
                payment_id=f"pmt_{secrets.token_hex(12)}",
                reference=reference,
                debtor_account=debtor_account,
                amount=amount,
                creditor=creditor[:200],
                status=PaymentOutcome.PENDING.value,
            )
            session.add(payment)
        return payment.payment_id

    def cancel(self, payment_id: str) -> None:
        self._finish(payment_id, PaymentOutcome.FAILED)

    def reconcile(self, payment_id: str, reported: PaymentOutcome) -> None:
        # The sandbox has no clearing of its own beyond `clear_due`: a reported outcome for a
        # pending payment is adopted, so its books match what Drop records.
        self._finish(payment_id, reported)

    def _finish(self, payment_id: str, outcome: PaymentOutcome) -> None:
        with self._db.transaction() as session:
            payment = session.get(SandboxBankPayment, payment_id, with_for_update=True)
            if payment is None or payment.status != PaymentOutcome.PENDING.value:
                return
            payment.status = outcome.value
            payment.updated_at = datetime.now(UTC)
            if outcome is PaymentOutcome.FAILED:
                account = session.get(
                    SandboxBankAccount, payment.debtor_account, with_for_update=True
                )
                assert account is not None
                account.balance += payment.amount

    # Clearing, which a real bank does on its own side.

    def clear_due(self, older_than: timedelta) -> list[str]:
        """Completes pending payments older than `older_than`; returns their payment ids."""
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
                payment.status = PaymentOutcome.COMPLETED.value
                payment.updated_at = datetime.now(UTC)
        return [payment.payment_id for payment in due]
