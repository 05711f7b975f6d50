"""Reconciliation: Drop's books against the bank's, so that no crash, lost answer or missed
status report leaves a payment open or money unaccounted for.

- Intents the bank has not answered for after `after` are looked up by their end-to-end
  reference: found, they continue as the bank says; not found, the reference is barred at the
  bank (an initiation still on its way can never be carried out) and the intent fails with its
  reservation released.
- Remittances still `processing` whose payment the bank has finished are settled as the bank
  says, through the same code as the admin route and the clearing.
- The ledger check compares each linked account's cached balance with a fresh AISP read, and
  Drop's payments with the bank's statement of the account, and reports every difference (a
  log line at WARNING; `drop reconcile` prints them as JSON).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, select

from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, Transaction
from drop_server.domain.payments import REJECTED, PaymentType, TransactionStatus
from drop_server.providers.bank import BankPayment, BankProvider, PaymentOutcome
from drop_server.services import payment_intents, settlement

log = logging.getLogger(__name__)
BATCH = 200


@dataclass(frozen=True)
class Resolution:
    intents: int
    settled: int


@dataclass(frozen=True)
class LedgerFinding:
    bank_account_id: str
    # balance | unknown_to_drop | unknown_to_bank | status | amount
    kind: str
    detail: str


def resolve_open_payments(db: Database, bank: BankProvider, after: timedelta) -> Resolution:
    cutoff = datetime.now(UTC) - after
    with db.transaction() as session:
        intents = session.execute(
            select(Transaction.id, Transaction.end_to_end_id)
            .where(
                Transaction.status == TransactionStatus.PROCESSING.value,
                Transaction.payment_id.is_(None),
                Transaction.created_at <= cutoff,
            )
            .order_by(Transaction.created_at)
            .limit(BATCH)
        ).all()
    found = bank.list_payments([reference for _, reference in intents]) if intents else {}
    for tx_id, reference in intents:
        payment = found.get(reference) or bank.cancel(reference)
        payment_intents.record(db, tx_id, payment)
    return Resolution(intents=len(intents), settled=_settle_finished(db, bank, cutoff))


def _settle_finished(db: Database, bank: BankProvider, cutoff: datetime) -> int:
    settled = 0
    after_id = ""
    while True:
        with db.transaction() as session:
            page = session.execute(
                select(Transaction.id, Transaction.end_to_end_id)
                .where(
                    Transaction.status == TransactionStatus.PROCESSING.value,
                    Transaction.payment_id.is_not(None),
                    Transaction.created_at <= cutoff,
                    Transaction.id > after_id,
                )
                .order_by(Transaction.id)
                .limit(BATCH)
            ).all()
        if not page:
            return settled
        payments = bank.list_payments([reference for _, reference in page])
        for tx_id, reference in page:
            payment = payments.get(reference)
            if payment is None or not payment.status.final:
                continue
            if settlement.apply_bank_status(db, tx_id, payment.status) is not None:
                settled += 1
        after_id = page[-1][0]


# What the bank may show for a payment in each state Drop has it in.
AGREEING = {
    TransactionStatus.COMPLETED.value: {PaymentOutcome.COMPLETED},
    TransactionStatus.PROCESSING.value: {PaymentOutcome.PENDING},
    TransactionStatus.FAILED.value: {PaymentOutcome.FAILED},
    REJECTED: {PaymentOutcome.FAILED},
}


def ledger_findings(db: Database, bank: BankProvider) -> list[LedgerFinding]:
    """Per linked account: the cached balance against the AISP's, and Drop's payments against
    the bank's statement (by end-to-end reference, status and amount)."""
    with db.transaction() as session:
        accounts = session.execute(
            select(
                BankAccount.id,
                BankAccount.account_number,
                BankAccount.consent_id,
                BankAccount.balance,
            ).where(BankAccount.deleted_at.is_(None))
        ).all()
        payments = session.execute(
            select(
                Transaction.bank_account_id,
                Transaction.id,
                Transaction.type,
                Transaction.status,
                Transaction.payment_id,
                Transaction.end_to_end_id,
                Transaction.total,
            )
        ).all()
    ours: dict[str, dict[str, Row[Any]]] = {}
    for row in payments:
        ours.setdefault(row.bank_account_id, {})[row.end_to_end_id] = row
    findings: list[LedgerFinding] = []
    # One bank account may be linked by several users (joint accounts are not modelled): each
    # link is compared on its own.
    for account_id, number, consent_id, cached in accounts:
        mine = ours.get(account_id, {})
        at_bank = bank.read_balance(consent_id, number)
        if at_bank != cached:
            open_intents = sum(1 for row in mine.values() if row.payment_id is None)
            findings.append(
                LedgerFinding(
                    account_id,
                    "balance",
                    f"cached {cached}, bank {at_bank} ({open_intents} open intents)",
                )
            )
        statement = {
            payment.reference: payment for payment in bank.read_payments(consent_id, number)
        }
        findings += _payment_findings(account_id, mine, statement)
    return findings


def _payment_findings(
    account_id: str, mine: dict[str, Row[Any]], statement: dict[str, BankPayment]
) -> list[LedgerFinding]:
    findings = []
    for reference, payment in statement.items():
        if reference not in mine and payment.status is not PaymentOutcome.FAILED:
            findings.append(
                LedgerFinding(
                    account_id, "unknown_to_drop", f"{payment.payment_id} {payment.status}"
                )
            )
    for reference, row in mine.items():
        if row.status == TransactionStatus.PROCESSING.value and row.payment_id is None:
            continue  # an open intent: reconciliation's, not a difference yet
        payment = statement.get(reference)
        allowed = set(AGREEING.get(row.status, ()))
        if row.type == PaymentType.QR_PAYMENT and row.status == TransactionStatus.COMPLETED.value:
            allowed.add(PaymentOutcome.PENDING)  # done for Drop once accepted; cleared later
        if payment is None:
            if row.status not in (TransactionStatus.FAILED.value, REJECTED):
                findings.append(
                    LedgerFinding(account_id, "unknown_to_bank", f"{row.id} {row.status}")
                )
        elif payment.status not in allowed:
            findings.append(
                LedgerFinding(account_id, "status", f"{row.id} {row.status}, bank {payment.status}")
            )
        elif payment.status is not PaymentOutcome.FAILED and payment.amount != row.total:
            findings.append(
                LedgerFinding(account_id, "amount", f"{row.id} {row.total}, bank {payment.amount}")
            )
    return findings


def report_ledger(db: Database, bank: BankProvider) -> list[LedgerFinding]:
    findings = ledger_findings(db, bank)
    for finding in findings:
        # The account's Drop id, never its number: logs hold no account numbers.
        log.warning(
            "ledger difference on %s: %s: %s", finding.bank_account_id, finding.kind, finding.detail
        )
    return findings
