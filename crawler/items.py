"""The contracts between spiders, pipeline stages and storage: fetched pages and analysed articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.extract import Article


@dataclass(frozen=True)
class ArticlePage:
    """An article page as fetched, before extraction."""

    source_id: str
    url: str
    html: str = field(repr=False)  # a logged item must never print the page
    fetched_at: datetime
    status: int
    seen_urls: tuple[str, ...] = ()  # every link that led to this page, cleaned


@dataclass(frozen=True)
class ThemeScore:
    """An article's score on one theme and the matched terms behind it."""

    theme_id: str
    score: float
    evidence: tuple[dict[str, object], ...] = ()


@dataclass(frozen=True)
class AnalysedArticle:
    """An extracted article with its fingerprint and theme scores: what the store stage writes."""

    article: Article
    signature: bytes | None = None
    bands: tuple[int, ...] = ()
    relevant: bool | None = None
    relevance: float | None = None
    themes: tuple[ThemeScore, ...] = ()
    references: tuple[tuple[str, float], ...] = ()  # (reference name, similarity)
    stems: str | None = None  # the text's stemmed words, indexed for full-text search
    seen_urls: tuple[str, ...] = ()  # links to the article seen while crawling
