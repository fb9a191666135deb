"""An index of the near-duplicate band rows by article, so that bands leave cheaply.

Band rows are kept only for articles stored in the last NEAR_DUPLICATE_WINDOW (see
storage/stories.py): the rows of an older article are deleted by its id, and so are an
article's old rows when a revision replaces its text. Both used to scan the whole table,
whose primary key starts with the hash. Ids grow with time, so this index is appended to,
not written at random. Added in place: no row is rewritten.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_article_bands_article_id", "article_bands", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_bands_article_id", table_name="article_bands")
