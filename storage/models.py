"""The archive's tables as SQLAlchemy models; migrations create them, never imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime


class Base(DeclarativeBase):
    pass


class OutletRow(Base):
    """An outlet belmon has crawled (its definition lives in the sources file)."""

    __tablename__ = "outlets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    canonical_base: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleRow(Base):
    """One article, once, under its canonical URL; the latest text is kept here."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_outlet_published", "outlet", "published_at"),
        Index("ix_articles_text_hash", "text_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet: Mapped[str] = mapped_column(ForeignKey("outlets.id"))
    url: Mapped[str] = mapped_column(Text, unique=True)
    outlet_article_id: Mapped[str] = mapped_column(String(64))
    edition: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    image_url: Mapped[str | None] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(32))
    word_count: Mapped[int] = mapped_column(Integer)
    extractor: Mapped[str] = mapped_column(String(16))
    # Where each field came from ({"title": "json-ld", "body": "main-text", ...}).
    field_sources: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    fetched_url: Mapped[str] = mapped_column(Text)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    relevance: Mapped[float | None] = mapped_column(Float)
    stems: Mapped[str | None] = mapped_column(Text)  # stemmed words, for full-text search


class StoryRow(Base):
    """Copies of one text across URLs and outlets; the earliest published is the original."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    original_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", use_alter=True, name="fk_stories_original")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleUrl(Base):
    """Every URL an article was seen under: variants, mirrors, and exact copies elsewhere."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    outlet: Mapped[str] = mapped_column(ForeignKey("outlets.id"))
    kind: Mapped[str] = mapped_column(String(16))  # canonical | fetched | variant | same-text
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleVersion(Base):
    """An earlier text of an article that the outlet later changed."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(32))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleFingerprint(Base):
    """The MinHash signature of an article's text, for confirming near-duplicate candidates."""

    __tablename__ = "article_fingerprints"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class ArticleBand(Base):
    """LSH band hashes: articles sharing a band hash are near-duplicate candidates."""

    __tablename__ = "article_bands"
    __table_args__ = (Index("ix_article_bands_article_id", "article_id"),
                      {"sqlite_with_rowid": False})

    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)


class ArticleTheme(Base):
    """An article's score on one theme, with the matched terms as evidence."""

    __tablename__ = "article_themes"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(JSON)


class ReferenceText(Base):
    """A reference article (the seeds first) that every article is compared with."""

    __tablename__ = "reference_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    vector: Mapped[dict[str, Any]] = mapped_column(JSON)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleReference(Base):
    """How close an article is to a reference text, comparable across languages."""

    __tablename__ = "article_references"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    reference_id: Mapped[int] = mapped_column(ForeignKey("reference_texts.id"), primary_key=True)
    similarity: Mapped[float] = mapped_column(Float)


class CrawlRun(Base):
    """The record of one crawl of one outlet: when, why, how it went, what it found."""

    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_outlet_started", "outlet", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet: Mapped[str] = mapped_column(ForeignKey("outlets.id"))
    trigger: Mapped[str] = mapped_column(String(16))
    base_url: Mapped[str] = mapped_column(Text)
    pid: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    article_pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_skipped: Mapped[int] = mapped_column(Integer, default=0)
    articles_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    articles_revised: Mapped[int] = mapped_column(Integer, default=0)
    articles_near_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    articles_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rejected_reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fetch_errors: Mapped[int] = mapped_column(Integer, default=0)
    fallback_used: Mapped[int] = mapped_column(Integer, default=0)
    no_date: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)


class FeedValidator(Base):
    """A feed's last ETag and Last-Modified, sent back so an unchanged feed costs a 304."""

    __tablename__ = "feed_validators"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
