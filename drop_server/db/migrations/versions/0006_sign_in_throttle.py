"""Failed password sign-ins per account (the per-account sign-in throttle).

Revision ID: s15_sign_in_throttle
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

# A revision id of its own: several branches add migrations in parallel; the merge re-chains
# down_revision, and a distinct id keeps that a one-line change.
revision = "s15_sign_in_throttle"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("account_key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sign_in_failures")
