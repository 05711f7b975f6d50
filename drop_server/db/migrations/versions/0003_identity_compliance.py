"""Identity and compliance: BankID subjects and login states, settings, consents with their
history, complaints with their history, data access requests.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    # BankID users may come without an email address.
    op.alter_column("users", "email", nullable=True)
    op.add_column("users", sa.Column("bankid_subject", sa.String(255)))
    op.create_index(
        "users_bankid_subject_active_key",
        "users",
        ["bankid_subject"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL AND bankid_subject IS NOT NULL"),
    )

    op.create_table(
        "bankid_logins",
        sa.Column("state", sa.String(64), primary_key=True),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.Column("used_at", TIMESTAMP),
    )

    op.create_table(
        "user_settings",
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("push_enabled", sa.Boolean, nullable=False),
        sa.Column("email_enabled", sa.Boolean, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
    )

    op.create_table(
        "consents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("consent_type", sa.String(32), nullable=False),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("granted_at", TIMESTAMP),
        sa.Column("withdrawn_at", TIMESTAMP),
        sa.Column("ip_address", sa.String(64), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("user_id", "consent_type", name="consents_user_type_key"),
    )
    op.create_table(
        "consent_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "consent_id", sa.String(32), sa.ForeignKey("consents.id"), nullable=False, index=True
        ),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("ip_address", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
    )

    op.create_table(
        "complaints",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("description", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("resolution", sa.String(2000)),
        sa.Column("respond_by", sa.Date, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.Column("resolved_at", TIMESTAMP),
    )
    op.create_table(
        "complaint_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "complaint_id",
            sa.String(32),
            sa.ForeignKey("complaints.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
    )

    op.create_table(
        "data_access_requests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False, server_default=sa.func.now()),
        sa.Column("completed_at", TIMESTAMP),
    )


def downgrade() -> None:
    for table in (
        "data_access_requests",
        "complaint_events",
        "complaints",
        "consent_events",
        "consents",
        "user_settings",
        "bankid_logins",
    ):
        op.drop_table(table)
    op.drop_index("users_bankid_subject_active_key", "users")
    op.drop_column("users", "bankid_subject")
    op.alter_column("users", "email", nullable=False)
