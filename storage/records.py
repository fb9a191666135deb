"""Plain records that the crawler hands to storage and storage hands back: no behaviour, no imports.

The crawler builds them and storage writes and reads them, so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Article:
    """Everything belmon keeps of one article page."""

    outlet: str
    edition: str
    language: str
    url: str
    fetched_url: str
    outlet_article_id: str
    title: str
    lead: str | None
    paragraphs: tuple[str, ...] = field(repr=False)  # a logged article never prints its text
    author: str | None
    published_at: datetime | None
    fetched_at: datetime
    image_url: str | None
    text_hash: str
    # How the page was read: "selectors" (the outlet's own), "fallback" (its selectors found
    # no body, the main-text extractor did), "generic" (no body selector: the generic reader),
    # or "feed" (the page refused us; the feed item's own title, summary and time).
    extractor: str
    # Where each field came from, e.g. {"title": "selector", "published_at": "json-ld",
    # "body": "main-text", "language": "detected"}; a field found nowhere is left out.
    field_sources: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class ScoredTheme:
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
    themes: tuple[ScoredTheme, ...] = ()
    references: tuple[tuple[str, float], ...] = ()  # (reference name, similarity)
    stems: str | None = None  # the text's stemmed words, indexed for full-text search
    seen_urls: tuple[str, ...] = ()  # links to the article seen while crawling


@dataclass(frozen=True)
class StoredText:
    id: int
    title: str
    lead: str | None
    body: str
    language: str


@dataclass(frozen=True)
class Rescored:
    """New verdict for one stored article ."""

    id: int
    relevant: bool
    relevance: float
    themes: tuple[ScoredTheme, ...]
    references: tuple[tuple[str, float], ...]


@dataclass
class RunTotals:
    """What a finished crawl reports into its crawl_runs row."""

    status: str
    pages_fetched: int = 0
    article_pages_fetched: int = 0
    articles_new: int = 0
    articles_skipped: int = 0
    articles_duplicate: int = 0
    articles_revised: int = 0
    articles_near_duplicate: int = 0
    articles_rejected: int = 0
    rejected_reasons: dict[str, int] = field(default_factory=dict)
    fetch_errors: int = 0
    fallback_used: int = 0
    no_date: int = 0
    message: str | None = None
