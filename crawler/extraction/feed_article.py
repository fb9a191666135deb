"""An article from its feed item alone, for an outlet whose article pages refuse crawlers. Pure."""

from __future__ import annotations

from datetime import datetime

from crawler.extraction.feeds import FeedItem
from crawler.extraction.language import detect_language
from crawler.extraction.textnorm import text_hash
from crawler.extraction.urls import article_ref
from crawler.sources import Source
from storage.records import Article

FEED_FIELDS = ("title", "body", "published_at", "author")


def article_from_feed(item: FeedItem, url: str, source: Source, fetched_at: datetime) -> Article | None:
    """The feed item's own title, summary (as the body) and time as an article, marked
    `extractor = "feed"`; None when the item has no title or no summary to keep."""
    ref = article_ref(source, url)
    if ref is None or not item.title or not item.summary:
        return None
    hint = source.edition(ref.lang).language_hint
    found = {"title": item.title, "body": item.summary, "published_at": item.published,
             "author": item.author}
    sources = {name: "feed" for name in FEED_FIELDS if found[name]}
    sources["url"] = "url"
    sources["language"] = "detected"
    return Article(
        outlet=source.id,
        edition=ref.lang,
        language=detect_language(" ".join((item.title, *item.summary)), hint=hint),
        url=ref.url,
        fetched_url=url,
        outlet_article_id=ref.outlet_article_id,
        title=item.title,
        lead=None,
        paragraphs=item.summary,
        author=item.author,
        published_at=item.published,
        fetched_at=fetched_at,
        image_url=None,
        text_hash=text_hash(item.summary),
        extractor="feed",
        field_sources=sources,
    )
