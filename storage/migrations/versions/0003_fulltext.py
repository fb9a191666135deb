"""Full-text search: stemmed words beside each article and an FTS5 index kept by triggers.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.fulltext import create_fulltext_index, drop_fulltext_index
from storage.views import VIEWS_0002

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("stems", sa.Text))
    create_fulltext_index(op.get_bind())


def downgrade() -> None:
    drop_fulltext_index(op.get_bind())
    # SQLite rebuilds the table to drop a column; views that name it must step aside.
    for name, _create in VIEWS_0002:
        op.execute(f"DROP VIEW {name}")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("stems")
    for _name, create in VIEWS_0002:
        op.execute(create)
