"""Alembic environment: consult passes its own connection in (see consult.storage.db.upgrade)."""

from alembic import context

from consult.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `consult migrate` (consult.storage.db.upgrade), which supplies the connection.")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite needs table rebuilds for most ALTERs
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
