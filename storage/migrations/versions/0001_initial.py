"""Sources, articles and the crawl run record.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("canonical_base", sa.Text, nullable=False),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("base_url", sa.Text, nullable=False),
        sa.Column("pid", sa.Integer),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("pages_fetched", sa.Integer, nullable=False),
        sa.Column("article_pages_fetched", sa.Integer, nullable=False),
        sa.Column("articles_new", sa.Integer, nullable=False),
        sa.Column("articles_skipped", sa.Integer, nullable=False),
        sa.Column("articles_duplicate", sa.Integer, nullable=False),
        sa.Column("articles_rejected", sa.Integer, nullable=False),
        sa.Column("rejected_reasons", sa.JSON, nullable=False),
        sa.Column("fetch_errors", sa.Integer, nullable=False),
        sa.Column("fallback_used", sa.Integer, nullable=False),
        sa.Column("no_date", sa.Integer, nullable=False),
        sa.Column("message", sa.Text),
    )
    op.create_index("ix_crawl_runs_source_started", "crawl_runs", ["source_id", "started_at"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("outlet_article_id", sa.String(64), nullable=False),
        sa.Column("edition", sa.String(8), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("lead", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("published_at", UTCDateTime),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("image_url", sa.Text),
        sa.Column("text_hash", sa.String(32), nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("extractor", sa.String(16), nullable=False),
        sa.Column("fetched_url", sa.Text, nullable=False),
        sa.Column("crawl_run_id", sa.Integer, sa.ForeignKey("crawl_runs.id")),
    )
    op.create_index("ix_articles_source_published", "articles", ["source_id", "published_at"])
    op.create_index("ix_articles_text_hash", "articles", ["text_hash"])


def downgrade() -> None:
    op.drop_table("articles")
    op.drop_table("crawl_runs")
    op.drop_table("sources")
