"""Alembic environment: always run programmatically on the store's own open connection."""

from alembic import context

from models.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copy-and-move; the naming convention allows it
)
with context.begin_transaction():
    context.run_migrations()
