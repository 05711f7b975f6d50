"""Alembic environment: runs on the connection that `drop_server.db.migrate` hands over."""

from alembic import context

from drop_server.db.models import Base, owned_by_drop

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    compare_type=True,
    include_name=owned_by_drop,
)
with context.begin_transaction():
    context.run_migrations()
