"""Alembic migrations, run by `drop serve` at start and by `drop migrate`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from drop_server.db.engine import Database, WaitBounds

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every process that migrates.
MIGRATION_LOCK = 0x64726F70
# A migration may take long, and a second starter waits for the first one's lock.
MIGRATION_BOUNDS = WaitBounds(statement_ms=0, idle_in_transaction_ms=0)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Upgrade under an advisory lock, so concurrent starters migrate one at a time."""
    database = Database(database_url, pool_size=1, bounds=MIGRATION_BOUNDS)
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                connection.commit()
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
    finally:
        database.dispose()
