"""Payment intents and reconciliation against the sandbox bank, through the services: an
intent the bank never received is barred and released; one it received continues as the bank
says; a settled payment follows the bank; the ledger check sees a cached balance that drifted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, Notification, Transaction
from drop_server.errors import ApiError, ErrorCode
from drop_server.providers.bank import PaymentOrder, PaymentOutcome, PaymentRejected
from drop_server.providers.sandbox_bank import SandboxBank
from drop_server.services import payment_intents, payments, reconciliation
from tests.api.test_clearing_and_demo import _sender

NOW = timedelta(0)


@pytest.fixture(scope="module")
def bank(api_db: Database) -> SandboxBank:
    return SandboxBank(api_db, reject_total=Decimal("4040.00"))


@pytest.fixture(scope="module")
def unreachable_bank() -> Iterator[SandboxBank]:
    """The same bank behind a network that refuses every connection."""
    db = Database("postgresql://postgres@127.0.0.1:9/postgres", pool_size=1)
    yield SandboxBank(db, reject_total=Decimal("4040.00"))
    db.dispose()


def _intent(
    api_db: Database, bank: SandboxBank, unreachable: SandboxBank
) -> tuple[Principal, Transaction]:
    """A payment whose bank call could not be made: an open intent, the amount reserved."""
    principal, recipient_id = _sender(api_db, bank)
    with pytest.raises(ApiError) as raised:
        payments.send_remittance(
            api_db,
            unreachable,
            principal,
            payments.RemittanceRequest(recipient_id, 300.0, None, None),
            "retry-me",
        )
    assert raised.value.code is ErrorCode.SERVICE_UNAVAILABLE
    with api_db.transaction() as session:
        tx = session.scalars(
            select(Transaction).where(Transaction.user_id == principal.user_id)
        ).one()
    assert tx.status == "processing" and tx.payment_id is None
    return principal, tx


def _cached(api_db: Database, tx: Transaction) -> Decimal:
    with api_db.transaction() as session:
        account = session.get(BankAccount, tx.bank_account_id)
        assert account is not None
        return account.balance


def test_an_intent_the_bank_never_got_is_barred_and_released(
    api_db: Database, bank: SandboxBank, unreachable_bank: SandboxBank
) -> None:
    principal, tx = _intent(api_db, bank, unreachable_bank)
    reserved = _cached(api_db, tx)
    assert reconciliation.resolve_open_payments(api_db, bank, NOW).intents >= 1
    with api_db.transaction() as session:
        failed = session.get(Transaction, tx.id)
        assert failed is not None and failed.status == "failed" and failed.payment_id is None
    assert _cached(api_db, tx) == reserved + tx.total
    # The initiation that was on its way arrives late: the bank refuses it.
    order = PaymentOrder(tx.end_to_end_id, "00000000000", tx.total, "late")
    with pytest.raises(PaymentRejected):
        bank.initiate(order)
    # A retry with the same key learns that this payment is over and must be sent anew.
    with pytest.raises(ApiError) as raised:
        payments.send_remittance(
            api_db,
            bank,
            principal,
            payments.RemittanceRequest(tx.recipient_id, 300.0, None, None),
            "retry-me",
        )
    assert raised.value.code is ErrorCode.CONFLICT


def test_an_intent_the_bank_has_continues_as_the_bank_says(
    api_db: Database, bank: SandboxBank, unreachable_bank: SandboxBank
) -> None:
    principal, tx = _intent(api_db, bank, unreachable_bank)
    with api_db.transaction() as session:
        order = payment_intents.order_for(session, session.get(Transaction, tx.id))  # type: ignore[arg-type]
    paid = bank.initiate(order)  # reached the bank; its answer was lost
    reserved = _cached(api_db, tx)
    reconciliation.resolve_open_payments(api_db, bank, NOW)
    with api_db.transaction() as session:
        found = session.get(Transaction, tx.id)
        assert found is not None and found.status == "processing"
        assert found.payment_id == paid.payment_id
        kinds = set(
            session.scalars(
                select(Notification.type).where(Notification.user_id == principal.user_id)
            )
        )
    assert kinds == {"remittance_created"}
    assert _cached(api_db, tx) == reserved  # the reservation is now the bank's debit
    # The bank completes it; reconciliation settles Drop's side, once.
    bank.clear(tx.end_to_end_id, PaymentOutcome.COMPLETED)
    assert reconciliation.resolve_open_payments(api_db, bank, NOW).settled >= 1
    with api_db.transaction() as session:
        settled = session.get(Transaction, tx.id)
        assert settled is not None and settled.status == "completed"


def test_a_retry_with_the_same_key_converges_on_one_payment(
    api_db: Database, bank: SandboxBank, unreachable_bank: SandboxBank
) -> None:
    principal, tx = _intent(api_db, bank, unreachable_bank)
    answers = [
        payments.send_remittance(
            api_db,
            bank,
            principal,
            payments.RemittanceRequest(tx.recipient_id, 300.0, None, None),
            "retry-me",
        )
        for _ in range(2)
    ]
    assert {answer.transaction.id for answer in answers if answer.transaction} == {tx.id}
    payment = bank.payment_status(tx.end_to_end_id)
    assert payment is not None and payment.status is PaymentOutcome.PENDING


def test_the_ledger_check_reports_drifted_balances_and_payments(
    api_db: Database, bank: SandboxBank
) -> None:
    principal, recipient_id = _sender(api_db, bank)
    sent = payments.send_remittance(
        api_db,
        bank,
        principal,
        payments.RemittanceRequest(recipient_id, 200.0, None, None),
        None,
    )
    assert sent.transaction is not None
    with api_db.transaction() as session:
        account = session.scalars(
            select(BankAccount).where(BankAccount.user_id == principal.user_id)
        ).one()
    assert not [
        f for f in reconciliation.ledger_findings(api_db, bank) if f.bank_account_id == account.id
    ]
    with api_db.transaction() as session:
        session.execute(
            update(BankAccount).where(BankAccount.id == account.id).values(balance=Decimal(1))
        )
        session.execute(
            update(Transaction).where(Transaction.id == sent.transaction.id).values(status="failed")
        )
    findings = {
        f.kind: f.detail
        for f in reconciliation.ledger_findings(api_db, bank)
        if f.bank_account_id == account.id
    }
    assert findings["balance"].startswith("cached 1.00, bank ")
    assert findings["status"] == f"{sent.transaction.id} failed, bank pending"
