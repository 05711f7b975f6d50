"""Payments as durable intents: a transaction row is written (and the amount reserved) before
the bank is called, carries the end-to-end reference the bank deduplicates by, and gets the
bank's payment id only once the bank has answered. Idempotency keys point at their payment.
The sandbox bank remembers refusals and barred references (no debtor account, no money).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("transactions_status_check", "transactions")
    op.create_check_constraint(
        "transactions_status_check",
        "transactions",
        "status IN ('processing', 'completed', 'failed', 'rejected')",
    )
    op.add_column("transactions", sa.Column("end_to_end_id", sa.String(64)))
    op.execute("UPDATE transactions SET end_to_end_id = id")
    op.alter_column("transactions", "end_to_end_id", nullable=False)
    op.create_unique_constraint("transactions_end_to_end_id_key", "transactions", ["end_to_end_id"])
    op.alter_column("transactions", "payment_id", nullable=True)
    # Reconciliation looks for payments the bank has not answered for yet.
    op.create_index(
        "ix_transactions_in_flight",
        "transactions",
        ["created_at"],
        postgresql_where=sa.text("payment_id IS NULL AND status = 'processing'"),
    )
    op.add_column(
        "idempotency_keys",
        sa.Column("transaction_id", sa.String(32), sa.ForeignKey("transactions.id")),
    )
    op.alter_column("sandbox_bank_payments", "debtor_account", nullable=True)


def downgrade() -> None:
    op.alter_column("sandbox_bank_payments", "debtor_account", nullable=False)
    op.drop_column("idempotency_keys", "transaction_id")
    op.drop_index("ix_transactions_in_flight", table_name="transactions")
    op.alter_column("transactions", "payment_id", nullable=False)
    op.drop_constraint("transactions_status_check", "transactions")
    op.create_check_constraint(
        "transactions_status_check",
        "transactions",
        "status IN ('processing', 'completed', 'failed')",
    )
    op.drop_constraint("transactions_end_to_end_id_key", "transactions")
    op.drop_column("transactions", "end_to_end_id")
