"""Reconciliation: Drop's books against the bank's, so that no crash, lost answer or missed
status report leaves a payment open or money unaccounted for.

- Intents the bank has not answered for after `after` are looked up by their end-to-end
  reference: found, they continue as the bank says; not found, the reference is barred at the
  bank (an initiation still on its way can never be carried out) and the intent fails with its
  reservation released.
- Remittances still `processing` whose payment the bank has finished are settled as the bank
  says, through the same code as the admin route and the clearing.
- The ledger check compares each linked account's cached balance with a fresh AISP read and
  reports every difference (a log line at WARNING; `drop reconcile` prints them as JSON).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, Transaction
from drop_server.domain.payments import TransactionStatus
from drop_server.providers.bank import BankProvider
from drop_server.services import payment_intents, settlement

log = logging.getLogger(__name__)
BATCH = 200
LEDGER_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Resolution:
    intents: int
    settled: int


@dataclass(frozen=True)
class LedgerDifference:
    bank_account_id: str
    cached_balance: Decimal
    bank_balance: Decimal
    # Intents of this account still open: their reservation may not be at the bank yet.
    open_intents: int


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


def ledger_differences(db: Database, bank: BankProvider) -> list[LedgerDifference]:
    with db.transaction() as session:
        accounts = session.execute(
            select(
                BankAccount.id,
                BankAccount.account_number,
                BankAccount.consent_id,
                BankAccount.balance,
            ).where(BankAccount.deleted_at.is_(None))
        ).all()
        open_counts = dict(
            session.execute(
                select(Transaction.bank_account_id, func.count())
                .where(
                    Transaction.status == TransactionStatus.PROCESSING.value,
                    Transaction.payment_id.is_(None),
                )
                .group_by(Transaction.bank_account_id)
            ).all()
        )
    differences = []
    # One bank account may be linked by several users (joint accounts are not modelled): each
    # link is compared on its own.
    for account_id, number, consent_id, cached in accounts:
        at_bank = bank.read_balance(consent_id, number)
        if at_bank != cached:
            differences.append(
                LedgerDifference(account_id, cached, at_bank, open_counts.get(account_id, 0))
            )
    return differences


def report_ledger(db: Database, bank: BankProvider) -> list[LedgerDifference]:
    differences = ledger_differences(db, bank)
    for difference in differences:
        # The account's id, never its number: logs hold no account numbers.
        log.warning(
            "ledger difference on %s: cached %s, bank %s (%d open intents)",
            difference.bank_account_id,
            difference.cached_balance,
            difference.bank_balance,
            difference.open_intents,
        )
    return differences


def run_reconciliation(
    db: Database,
    bank: BankProvider,
    after: timedelta,
    interval: float,
    stop: threading.Event,
) -> None:
    last_ledger = datetime.min.replace(tzinfo=UTC)
    while not stop.wait(interval):
        try:
            resolve_open_payments(db, bank, after)
            if datetime.now(UTC) - last_ledger >= LEDGER_EVERY:
                report_ledger(db, bank)
                last_ledger = datetime.now(UTC)
        except Exception:
            log.exception("reconciliation failed; retrying")
