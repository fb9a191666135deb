"""Alembic environment: runs migrations on the connection that storage.migrate hands over."""

from __future__ import annotations

from alembic import context

from storage.fulltext import not_fulltext
from storage.models import Base

connection = context.config.attributes["connection"]


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    include_name=not_fulltext,
)
with context.begin_transaction():
    context.run_migrations()
