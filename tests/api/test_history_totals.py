"""Totals that do not scan (migration 0008): the per-day totals kept by the database trigger
always equal a count over the rows, whatever path wrote them (intent, bank refusal, recording,
settlement), and the list, summary and dashboard queries can use their indexes (EXPLAIN)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, inspect, select, text, update

from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import Merchant, User
from drop_server.domain.users import Role
from drop_server.errors import ApiError
from drop_server.providers.bank import PaymentOutcome
from drop_server.providers.sandbox_bank import SandboxBank
from drop_server.services import accounts, bank_accounts, payments, recipients, transactions
from drop_server.services.demo import MERCHANT_EMAIL, seed_demo
from drop_server.services.sessions import ClientKind
from drop_server.services.settlement import apply_bank_status
from tests.api.conftest import TEST_SECRET
from tests.conftest import registration

DAY = "(created_at AT TIME ZONE 'Europe/Oslo')::date"
SCANNED_USERS = f"""
    SELECT user_id, {DAY}, type, status, count(*), sum(amount) FROM transactions
    GROUP BY 1, 2, 3, 4"""
SCANNED_MERCHANTS = f"""
    SELECT merchant_id, {DAY}, type, status, count(*), sum(amount) FROM transactions
    WHERE merchant_id IS NOT NULL GROUP BY 1, 2, 3, 4"""


def _rows(rows: Sequence[Row[Any]]) -> set[tuple[object, ...]]:
    return {tuple(row) for row in rows}


def _kept(db: Database) -> tuple[set[tuple[object, ...]], ...]:
    with db.transaction() as session:
        users = _rows(session.execute(text(SCANNED_USERS)).all())
        merchants = _rows(session.execute(text(SCANNED_MERCHANTS)).all())
        kept_users = _rows(
            session.execute(
                text("SELECT user_id, day, type, status, count, amount FROM user_daily_totals")
            ).all()
        )
        kept_merchants = _rows(
            session.execute(
                text(
                    "SELECT merchant_id, day, type, status, count, amount"
                    " FROM merchant_daily_totals"
                )
            ).all()
        )
        notifications = _rows(
            session.execute(text("SELECT user_id, count(*) FROM notifications GROUP BY 1")).all()
        )
        kept_notifications = _rows(
            session.execute(text("SELECT user_id, count FROM notification_counts")).all()
        )
    # Rows counted down to zero are kept; they add nothing.
    kept_users = {row for row in kept_users if row[4] != 0}
    kept_merchants = {row for row in kept_merchants if row[4] != 0}
    kept_notifications = {row for row in kept_notifications if row[1] != 0}
    return users, kept_users, merchants, kept_merchants, notifications, kept_notifications


def _payer(db: Database, bank: SandboxBank) -> tuple[Principal, str]:
    body = registration()
    form = accounts.RegistrationForm(
        body["email"],
        body["password"],
        "Test",
        "Payer",
        None,
        body["dateOfBirth"],  # type: ignore[arg-type]
    )
    user = accounts.register(db, TEST_SECRET, form, ClientKind.WEB, password_login=True).user
    with db.transaction() as session:
        session.execute(update(User).where(User.id == user.id).values(kyc_status="approved"))
    principal = Principal(user_id=user.id, role=Role.USER)
    bank_accounts.link_accounts(db, bank, principal, "DNB")
    recipient = recipients.create_recipient(
        db,
        principal,
        recipients.NewRecipient("Ana", "PL", "PLN", "PL61109010140000071219812874", None),
    )
    return principal, recipient.id


def test_totals_follow_every_payment_path(api_db: Database) -> None:
    bank = SandboxBank(api_db, reject_total=Decimal("4040.00"))
    seed_demo(api_db, bank, TEST_SECRET)
    with api_db.transaction() as session:
        merchant_id = session.scalars(
            select(Merchant.id)
            .join(User, User.id == Merchant.user_id)
            .where(User.email == MERCHANT_EMAIL)
        ).one()
    payer, recipient_id = _payer(api_db, bank)
    payments.pay_merchant(api_db, bank, payer, payments.QrPaymentRequest(merchant_id, 25.0), None)
    # Refused by the bank (total 4040.00): the intent is rejected and counts nowhere.
    with contextlib.suppress(ApiError):
        payments.pay_merchant(
            api_db, bank, payer, payments.QrPaymentRequest(merchant_id, 4000.0), None
        )
    sent = [
        payments.send_remittance(
            api_db, bank, payer, payments.RemittanceRequest(recipient_id, amount, None, None), None
        ).transaction
        for amount in (300.0, 400.0, 500.0)
    ]
    assert all(tx is not None for tx in sent)
    apply_bank_status(api_db, sent[0].id, PaymentOutcome.COMPLETED)  # type: ignore[union-attr]
    apply_bank_status(api_db, sent[1].id, PaymentOutcome.FAILED)  # type: ignore[union-attr]

    users, kept_users, merchants, kept_merchants, notes, kept_notes = _kept(api_db)
    assert kept_users == users
    assert kept_merchants == merchants
    assert kept_notes == notes

    summary = transactions.summary(
        api_db, payer, __import__("datetime").datetime.now().astimezone()
    )
    # Completed and processing count, failed and rejected do not.
    assert summary.all_time.total_count == 3
    assert summary.all_time.qr_payment_count == 1
    assert summary.all_time.total_paid == Decimal("25.00")
    assert summary.all_time.total_sent == Decimal("800.00")
    page = transactions.list_transactions(api_db, payer, None, None, None, None)
    # A list item's columns only (lean hot path): the rest of a transaction stays in the database.
    assert "end_to_end_id" in inspect(page.transactions[0]).unloaded
    assert page.page.total == 4 and isinstance(
        page.page.total, int
    )  # the failed remittance is listed, the rejected payment not


EXPLAINED = {
    # (query, the index its plan must use)
    "list page": (
        "SELECT * FROM transactions WHERE user_id = 'usr_x' AND status <> 'rejected'"
        " ORDER BY created_at DESC, id DESC LIMIT 21",
        "ix_transactions_user_created",
    ),
    "list page by cursor": (
        "SELECT * FROM transactions WHERE user_id = 'usr_x' AND status <> 'rejected'"
        " AND created_at <= '2026-11-01' AND (created_at < '2026-11-01' OR id < 'tx_qr_1')"
        " ORDER BY created_at DESC, id DESC LIMIT 21",
        "ix_transactions_user_created",
    ),
    "notifications by cursor": (
        "SELECT * FROM notifications WHERE user_id = 'usr_x'"
        " AND created_at <= '2026-11-01' AND (created_at < '2026-11-01' OR id < 'noti_1')"
        " ORDER BY created_at DESC, id DESC LIMIT 51",
        "ix_notifications_user_created",
    ),
    "merchant sales": (
        "SELECT * FROM transactions WHERE merchant_id = 'mer_x' AND status <> 'rejected'"
        " ORDER BY created_at DESC, id DESC LIMIT 21",
        "ix_transactions_merchant_created",
    ),
    "list total, summary": (
        "SELECT sum(count), sum(amount) FROM user_daily_totals WHERE user_id = 'usr_x'"
        " AND status NOT IN ('failed', 'rejected') AND day >= '2026-11-01'",
        "user_daily_totals_pkey",
    ),
    "dashboard, sales total": (
        "SELECT sum(count), sum(amount) FROM merchant_daily_totals WHERE merchant_id = 'mer_x'"
        " AND day >= '2026-11-01'",
        "merchant_daily_totals_pkey",
    ),
    "notifications total": (
        "SELECT count FROM notification_counts WHERE user_id = 'usr_x'",
        "notification_counts_pkey",
    ),
}


def test_history_queries_use_their_indexes(api_db: Database) -> None:
    """Small test tables make sequential scans cheapest, so the planner is told to avoid them:
    what is checked is that each query has an index that fits it, not the planner's choice."""
    with api_db.transaction() as session:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        for name, (query, index) in EXPLAINED.items():
            plan = "\n".join(session.scalars(text(f"EXPLAIN {query}")))
            assert index in plan, f"{name}:\n{plan}"
            assert "Seq Scan" not in plan, f"{name}:\n{plan}"
