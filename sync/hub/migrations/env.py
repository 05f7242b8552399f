"""Alembic environment for the hub: always run programmatically on the hub's open connection
(``sync.hub.db.migrate``), never from an alembic.ini."""

from alembic import context

from sync.hub.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copy-and-move; the naming convention allows it
)
with context.begin_transaction():
    context.run_migrations()
