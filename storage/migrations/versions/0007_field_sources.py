"""Where each field of an article came from: `articles.field_sources`, a JSON object.

{"title": "json-ld", "published_at": "meta", "body": "main-text", "language": "detected"}:
what the generic reader, an outlet's selectors or a feed item gave. Older rows keep NULL
(they were read before belmon recorded it). Added in place: no row is rewritten.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("field_sources", sa.JSON(), nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35+ and PostgreSQL): a batch copy would break the views on articles.
    op.drop_column("articles", "field_sources")
