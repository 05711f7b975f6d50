"""Alembic environment: runs on the connection that `drop_server.db.migrate` hands over."""

from alembic import context

from drop_server.db.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
