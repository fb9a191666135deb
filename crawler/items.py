"""The contract between spiders and the page-reading stage: an article page as fetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.extraction.feeds import FeedItem


@dataclass(frozen=True)
class ArticlePage:
    """An article page as fetched, before extraction."""

    outlet: str
    url: str
    html: str = field(repr=False)  # a logged item must never print the page
    fetched_at: datetime
    status: int
    seen_urls: tuple[str, ...] = ()  # every link that led to this page, cleaned
    # Set when the page refused us (401/403/451) and its feed item is all there is to read.
    feed_item: FeedItem | None = None
