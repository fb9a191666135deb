"""Stories, URL variants, revisions, fingerprints, theme scores, references and reader views.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime
from storage.views import VIEWS_0002

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("original_article_id", sa.Integer,
                  sa.ForeignKey("articles.id", name="fk_stories_original")),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("story_id", sa.Integer,
                                   sa.ForeignKey("stories.id", name="fk_articles_story")))
        batch.add_column(sa.Column("updated_at", UTCDateTime))
        batch.add_column(sa.Column("relevant", sa.Boolean))
        batch.add_column(sa.Column("relevance", sa.Float))
        batch.create_index("ix_articles_story_id", ["story_id"])
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("articles_revised", sa.Integer, nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("articles_near_duplicate", sa.Integer, nullable=False,
                                   server_default="0"))
    op.create_table(
        "article_urls",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_article_urls_article_id", "article_urls", ["article_id"])
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("lead", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("text_hash", sa.String(32), nullable=False),
        sa.Column("published_at", UTCDateTime),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("replaced_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_article_versions_article_id", "article_versions", ["article_id"])
    op.create_table(
        "article_fingerprints",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("signature", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "article_bands",
        sa.Column("hash", sa.BigInteger, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "article_themes",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("theme_id", sa.String(64), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_index("ix_article_themes_theme_id", "article_themes", ["theme_id"])
    op.create_table(
        "reference_texts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("vector", sa.JSON, nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "article_references",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("reference_id", sa.Integer, sa.ForeignKey("reference_texts.id"),
                  primary_key=True),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    _backfill()
    for _name, create in VIEWS_0002:
        op.execute(create)


def _backfill() -> None:
    """Articles stored before this revision: each its own story, its URL recorded."""
    op.execute("INSERT INTO article_urls (url, article_id, source_id, kind, first_seen_at) "
               "SELECT url, id, source_id, 'canonical', fetched_at FROM articles")
    op.execute("INSERT INTO stories (id, original_article_id, created_at) "
               "SELECT id, id, fetched_at FROM articles")
    op.execute("UPDATE articles SET story_id = id")


def downgrade() -> None:
    for name, _create in VIEWS_0002:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    for table in ("article_references", "reference_texts", "article_themes", "article_bands",
                  "article_fingerprints", "article_versions", "article_urls"):
        op.drop_table(table)
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_story_id")
        for column in ("relevance", "relevant", "updated_at", "story_id"):
            batch.drop_column(column)
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("articles_near_duplicate")
        batch.drop_column("articles_revised")
    op.drop_table("stories")
