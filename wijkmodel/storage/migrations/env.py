"""Alembic environment: always run from `wijkmodel.storage.db.migrate`, on the connection it opened (one
transaction, holding the save lock). There is no alembic.ini: see docs/migrations.md."""

from alembic import context

from wijkmodel.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Migrations run when wijkmodel opens its database (wijkmodel.storage.db.migrate), not by alembic."
    )
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
