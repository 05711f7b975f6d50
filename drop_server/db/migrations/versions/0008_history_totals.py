"""Totals that do not scan: per user and per merchant, per Oslo day, type and status, the
number of transactions and the sum of their amounts, kept by triggers in the very transaction
that writes, changes or deletes a transaction row (so they can never disagree with the rows:
a payment refused by the bank or failed moves from one status to the other in the same commit).
Likewise the number of notifications per user. Lists take their totals, the summary and the
merchant dashboard their sums from these rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DAY = "(({row}.created_at AT TIME ZONE 'Europe/Oslo')::date)"


def _add(row: str, sign: str) -> str:
    """SQL adding (sign '+') or removing (sign '-') one transaction row to its totals."""
    day = DAY.format(row=row)
    amount = f"{sign}{row}.amount"
    return f"""
    INSERT INTO user_daily_totals AS t (user_id, day, type, status, count, amount)
    VALUES ({row}.user_id, {day}, {row}.type, {row}.status, {sign}1, {amount})
    ON CONFLICT (user_id, day, type, status)
    DO UPDATE SET count = t.count + EXCLUDED.count, amount = t.amount + EXCLUDED.amount;
    IF {row}.merchant_id IS NOT NULL THEN
      INSERT INTO merchant_daily_totals AS t (merchant_id, day, type, status, count, amount)
      VALUES ({row}.merchant_id, {day}, {row}.type, {row}.status, {sign}1, {amount})
      ON CONFLICT (merchant_id, day, type, status)
      DO UPDATE SET count = t.count + EXCLUDED.count, amount = t.amount + EXCLUDED.amount;
    END IF;"""  # noqa: S608 (fixed text: no input reaches it)


def upgrade() -> None:
    op.create_table(
        "user_daily_totals",
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("type", sa.String(16), primary_key=True),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("amount", sa.Numeric, nullable=False),
    )
    op.create_table(
        "merchant_daily_totals",
        sa.Column("merchant_id", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("type", sa.String(16), primary_key=True),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("amount", sa.Numeric, nullable=False),
    )
    op.create_table(
        "notification_counts",
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("count", sa.BigInteger, nullable=False),
    )
    op.execute(f"""
    CREATE FUNCTION transaction_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN {_add("OLD", "-")}
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add("NEW", "")}
      END IF;
      RETURN NULL;
    END $$""")
    op.execute(
        "CREATE TRIGGER transactions_totals AFTER INSERT OR DELETE ON transactions"
        " FOR EACH ROW EXECUTE FUNCTION transaction_totals()"
    )
    op.execute(
        "CREATE TRIGGER transactions_totals_update AFTER UPDATE ON transactions FOR EACH ROW"
        " WHEN ((OLD.user_id, OLD.merchant_id, OLD.type, OLD.status, OLD.amount, OLD.created_at)"
        " IS DISTINCT FROM"
        " (NEW.user_id, NEW.merchant_id, NEW.type, NEW.status, NEW.amount, NEW.created_at))"
        " EXECUTE FUNCTION transaction_totals()"
    )
    op.execute("""
    CREATE FUNCTION notification_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        UPDATE notification_counts SET count = count - 1 WHERE user_id = OLD.user_id;
      ELSE
        INSERT INTO notification_counts AS c (user_id, count) VALUES (NEW.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET count = c.count + 1;
      END IF;
      RETURN NULL;
    END $$""")
    op.execute(
        "CREATE TRIGGER notifications_count AFTER INSERT OR DELETE ON notifications"
        " FOR EACH ROW EXECUTE FUNCTION notification_counts()"
    )
    day = DAY.format(row="transactions")
    op.execute(f"""
    INSERT INTO user_daily_totals (user_id, day, type, status, count, amount)
    SELECT user_id, {day}, type, status, count(*), sum(amount) FROM transactions
    GROUP BY 1, 2, 3, 4""")  # noqa: S608
    op.execute(f"""
    INSERT INTO merchant_daily_totals (merchant_id, day, type, status, count, amount)
    SELECT merchant_id, {day}, type, status, count(*), sum(amount) FROM transactions
    WHERE merchant_id IS NOT NULL GROUP BY 1, 2, 3, 4""")  # noqa: S608
    op.execute(
        "INSERT INTO notification_counts (user_id, count)"
        " SELECT user_id, count(*) FROM notifications GROUP BY 1"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER notifications_count ON notifications")
    op.execute("DROP FUNCTION notification_counts()")
    op.execute("DROP TRIGGER transactions_totals_update ON transactions")
    op.execute("DROP TRIGGER transactions_totals ON transactions")
    op.execute("DROP FUNCTION transaction_totals()")
    op.drop_table("notification_counts")
    op.drop_table("merchant_daily_totals")
    op.drop_table("user_daily_totals")
