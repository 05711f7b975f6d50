"""Cards behind feature flags: Drop keeps the issuer's token, last four digits and expiry,
never a full card number or CVV.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issuer_token", sa.String(64), nullable=False, unique=True),
        sa.Column("last4", sa.String(4), nullable=False),
        sa.Column("expiry_month", sa.Integer, nullable=False),
        sa.Column("expiry_year", sa.Integer, nullable=False),
        sa.Column("pin_hash", sa.String(100)),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.Column("cancelled_at", TIMESTAMP),
        sa.CheckConstraint("type IN ('virtual', 'physical')", name="cards_type_check"),
        sa.CheckConstraint(
            "status IN ('active', 'frozen', 'cancelled')", name="cards_status_check"
        ),
    )
    op.create_table(
        "card_orders",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("card_id", sa.String(32), sa.ForeignKey("cards.id"), nullable=False, index=True),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issuer_order_id", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "card_limits",
        sa.Column("card_id", sa.String(32), sa.ForeignKey("cards.id"), primary_key=True),
        sa.Column("limit_type", sa.String(16), primary_key=True),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("amount > 0", name="card_limits_positive"),
    )


def downgrade() -> None:
    op.drop_table("card_limits")
    op.drop_table("card_orders")
    op.drop_table("cards")
