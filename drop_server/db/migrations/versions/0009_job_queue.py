"""The job queue's tables and functions (procrastinate's schema, as the installed version
ships it), so `drop migrate` prepares a database for every role.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)
TYPES = (
    "procrastinate_job_to_defer_v1",
    "procrastinate_job_event_type",
    "procrastinate_job_status",
)


def upgrade() -> None:
    # Through the driver: the schema is many statements with dollar-quoted bodies, and no
    # parameters, which psycopg sends as one simple query.
    op.get_bind().connection.driver_connection.execute(SchemaManager.get_schema())


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    op.execute(
        """
        DO $$
        DECLARE f record;
        BEGIN
          FOR f IN SELECT oid::regprocedure AS sig FROM pg_proc
                   WHERE proname LIKE 'procrastinate\\_%' LOOP
            EXECUTE 'DROP FUNCTION IF EXISTS ' || f.sig || ' CASCADE';
          END LOOP;
        END $$
        """
    )
    for type_name in TYPES:
        op.execute(f"DROP TYPE IF EXISTS {type_name} CASCADE")
