"""One name for an outlet: the table `sources` becomes `outlets`, every `source_id` column `outlet`.

The views always said `outlet`; now the tables agree, and the views read the new columns.
Renamed in place (ALTER TABLE ... RENAME), so no row is copied and foreign keys follow.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

from storage.views import VIEWS_0002, VIEWS_0006

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = ("articles", "article_urls", "crawl_runs")  # each has a source_id column
# (old index name, new index name, table, the column beside the outlet)
_INDEXES: tuple[tuple[str, str, str, str], ...] = (
    ("ix_articles_source_published", "ix_articles_outlet_published", "articles", "published_at"),
    ("ix_crawl_runs_source_started", "ix_crawl_runs_outlet_started", "crawl_runs", "started_at"),
)


def _rename(old_table: str, new_table: str, old_column: str, new_column: str,
            old_views: tuple[tuple[str, str], ...], new_views: tuple[tuple[str, str], ...],
            new_index: int) -> None:
    for name, _create in old_views:
        op.execute(f"DROP VIEW {name}")
    for index in _INDEXES:
        op.drop_index(index[1 - new_index], table_name=index[2])
    op.execute(f"ALTER TABLE {old_table} RENAME TO {new_table}")
    for table in _COLUMNS:
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {old_column} TO {new_column}")
    for index in _INDEXES:
        op.create_index(index[new_index], index[2], [new_column, index[3]])
    for _name, create in new_views:
        op.execute(create)


def upgrade() -> None:
    _rename("sources", "outlets", "source_id", "outlet", VIEWS_0002, VIEWS_0006, 1)


def downgrade() -> None:
    _rename("outlets", "sources", "outlet", "source_id", VIEWS_0006, VIEWS_0002, 0)
