"""Money movement: rates, recipients, merchants, transactions and their events, idempotency
keys, notifications, feature flags, and the sandbox bank's own ledger.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
MONEY = sa.Numeric(18, 2)
RATE = sa.Numeric(18, 6)
SEEDED_RATES = {
    "RSD": "11.7",
    "BAM": "1.04",
    "PLN": "0.41",
    "PKR": "26.8",
    "TRY": "3.45",
    "EUR": "0.089",
}
SEEDED_FLAGS = {
    "notifications": True,
    "cards": False,
    "physicalCards": False,
    "cardPin": False,
    "spendingLimits": False,
}


def _now() -> sa.sql.elements.ColumnElement:  # type: ignore[type-arg]
    return sa.func.now()


def upgrade() -> None:
    op.add_column("bank_accounts", sa.Column("consent_id", sa.String(64)))
    op.add_column("bank_accounts", sa.Column("deleted_at", TIMESTAMP))
    op.create_index(
        "bank_accounts_user_number_key",
        "bank_accounts",
        ["user_id", "account_number"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )

    rates = op.create_table(
        "exchange_rates",
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("rate", RATE, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=_now()),
        sa.CheckConstraint("rate > 0", name="exchange_rates_positive"),
    )
    op.bulk_insert(rates, [{"currency": c, "rate": r} for c, r in SEEDED_RATES.items()])

    op.create_table(
        "recipients",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("bank_account", sa.String(34), nullable=False),
        sa.Column("bank_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=_now()),
        sa.Column("deleted_at", TIMESTAMP),
    )

    op.create_table(
        "merchants",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False, unique=True),
        sa.Column("business_name", sa.String(100), nullable=False),
        sa.Column("org_number", sa.String(9), nullable=False, unique=True),
        sa.Column("address", sa.String(300), nullable=False, server_default=""),
        sa.Column("payout_account", sa.String(11), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=_now()),
    )

    op.create_table(
        "transactions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column(
            "bank_account_id", sa.String(32), sa.ForeignKey("bank_accounts.id"), nullable=False
        ),
        sa.Column("from_bank_name", sa.String(100), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("fee", MONEY, nullable=False),
        sa.Column("fee_percent", sa.Numeric(6, 3), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("exchange_rate", RATE),
        sa.Column("receive_amount", MONEY),
        sa.Column("receive_currency", sa.String(3)),
        sa.Column("recipient_id", sa.String(32), sa.ForeignKey("recipients.id")),
        sa.Column("recipient_name", sa.String(100)),
        sa.Column("recipient_country", sa.String(2)),
        sa.Column("merchant_id", sa.String(32), sa.ForeignKey("merchants.id")),
        sa.Column("merchant_name", sa.String(100)),
        sa.Column("payment_id", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=_now()),
        sa.Column("completed_at", TIMESTAMP),
        sa.CheckConstraint("type IN ('remittance', 'qr_payment')", name="transactions_type_check"),
        sa.CheckConstraint(
            "status IN ('processing', 'completed', 'failed')", name="transactions_status_check"
        ),
        sa.CheckConstraint(
            "amount > 0 AND fee >= 0 AND total = amount + fee", name="transactions_money_check"
        ),
    )
    op.create_index("ix_transactions_user_created", "transactions", ["user_id", "created_at"])
    op.create_index(
        "ix_transactions_merchant_created", "transactions", ["merchant_id", "created_at"]
    )
    op.create_index("ix_transactions_status_created", "transactions", ["status", "created_at"])

    op.create_table(
        "transaction_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "transaction_id",
            sa.String(32),
            sa.ForeignKey("transactions.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=_now()),
    )

    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.LargeBinary),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=_now()),
    )
    op.create_index("ix_idempotency_keys_created", "idempotency_keys", ["created_at"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.String(1000), nullable=False),
        sa.Column("read", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=_now()),
    )
    op.create_index("ix_notifications_user_created", "notifications", ["user_id", "created_at"])

    flags = op.create_table(
        "feature_flags",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=_now()),
    )
    op.bulk_insert(flags, [{"name": n, "enabled": e} for n, e in SEEDED_FLAGS.items()])

    # The sandbox bank's own books: what a real bank would hold on its side.
    op.create_table(
        "sandbox_bank_accounts",
        sa.Column("account_number", sa.String(11), primary_key=True),
        sa.Column("bank_name", sa.String(100), nullable=False),
        sa.Column("owner_reference", sa.String(64), nullable=False, index=True),
        sa.Column("balance", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False, server_default="NOK"),
    )
    op.create_table(
        "sandbox_bank_payments",
        sa.Column("payment_id", sa.String(64), primary_key=True),
        sa.Column("reference", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "debtor_account",
            sa.String(11),
            sa.ForeignKey("sandbox_bank_accounts.account_number"),
            nullable=False,
        ),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("creditor", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=_now()),
        sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=_now()),
    )


def downgrade() -> None:
    for table in (
        "sandbox_bank_payments",
        "sandbox_bank_accounts",
        "feature_flags",
        "notifications",
        "idempotency_keys",
        "transaction_events",
        "transactions",
        "merchants",
        "recipients",
        "exchange_rates",
    ):
        op.drop_table(table)
    op.drop_index("bank_accounts_user_number_key", "bank_accounts")
    op.drop_column("bank_accounts", "deleted_at")
    op.drop_column("bank_accounts", "consent_id")
