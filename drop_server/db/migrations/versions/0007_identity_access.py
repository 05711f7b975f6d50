"""Identity and access: back-office roles, API keys with several scopes, expiry and last use,
BankID linking (an operator-approved link window) and the mobile flow handle.

Revision ID: 0007
Revises: s15_sign_in_throttle
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "s15_sign_in_throttle"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
ROLES = "'user', 'merchant', 'admin', 'support', 'compliance', 'finance'"
SCOPES = "ARRAY['admin', 'support', 'compliance', 'finance', 'rates', 'settlement']::varchar[]"


def upgrade() -> None:
    op.drop_constraint("users_role_check", "users", type_="check")
    op.create_check_constraint("users_role_check", "users", f"role IN ({ROLES})")
    op.add_column("users", sa.Column("bankid_link_approved_until", TIMESTAMP))

    op.add_column("api_keys", sa.Column("scopes", postgresql.ARRAY(sa.String(16))))
    op.execute("UPDATE api_keys SET scopes = ARRAY[scope]::varchar[]")
    op.alter_column("api_keys", "scopes", nullable=False)
    op.drop_constraint("api_keys_scope_check", "api_keys", type_="check")
    op.drop_column("api_keys", "scope")
    op.create_check_constraint(
        "api_keys_scopes_check",
        "api_keys",
        f"cardinality(scopes) > 0 AND scopes <@ {SCOPES}",
    )
    # Keys made before this revision show an empty prefix: their secret was never kept.
    op.add_column("api_keys", sa.Column("prefix", sa.String(16), nullable=False, server_default=""))
    op.add_column("api_keys", sa.Column("expires_at", TIMESTAMP))
    op.add_column("api_keys", sa.Column("last_used_at", TIMESTAMP))

    op.add_column(
        "bankid_logins", sa.Column("link_user_id", sa.String(32), sa.ForeignKey("users.id"))
    )
    op.add_column("bankid_logins", sa.Column("flow_handle_hash", sa.String(64)))


def downgrade() -> None:
    op.drop_column("bankid_logins", "flow_handle_hash")
    op.drop_column("bankid_logins", "link_user_id")
    op.drop_column("api_keys", "last_used_at")
    op.drop_column("api_keys", "expires_at")
    op.drop_column("api_keys", "prefix")
    op.drop_constraint("api_keys_scopes_check", "api_keys", type_="check")
    op.add_column("api_keys", sa.Column("scope", sa.String(16)))
    op.execute("UPDATE api_keys SET scope = scopes[1]")
    op.alter_column("api_keys", "scope", nullable=False)
    op.drop_column("api_keys", "scopes")
    op.create_check_constraint(
        "api_keys_scope_check", "api_keys", "scope IN ('admin', 'settlement', 'rates')"
    )
    op.drop_column("users", "bankid_link_approved_until")
    op.execute("UPDATE users SET role = 'user' WHERE role IN ('support', 'compliance', 'finance')")
    op.drop_constraint("users_role_check", "users", type_="check")
    op.create_check_constraint("users_role_check", "users", "role IN ('user', 'merchant', 'admin')")
