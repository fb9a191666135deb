"""Article links from RSS and Atom feeds; a feed that declares entities is never parsed."""

from __future__ import annotations

import calendar
import re
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from crawler.extraction.textnorm import clean_text

# Entity declarations are how a feed reads local files (external entities) or expands a few
# bytes into gigabytes ("billion laughs"); no real news feed needs one.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
FEED_ENTITIES = "feed-entities"
FEED_MALFORMED = "feed-malformed"


@dataclass(frozen=True)
class FeedItem:
    """One feed item as the feed itself tells it: what is left of an article whose page
    refuses to be fetched."""

    link: str
    title: str = ""
    summary: tuple[str, ...] = ()  # the description's paragraphs, markup removed
    published: datetime | None = None  # UTC
    author: str | None = None


@dataclass(frozen=True)
class FeedLinks:
    """The items of a feed, in feed order, and what was wrong with it, if anything."""

    items: tuple[FeedItem, ...]
    problem: str | None = None

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(item.link for item in self.items)


def read_feed(body: bytes) -> FeedLinks:
    """The item links in feed order. A feed declaring entities yields none (FEED_ENTITIES);
    a malformed one yields what could be read (FEED_MALFORMED)."""
    if _ENTITY_DECLARATION.search(body) or _ENTITY_DECLARATION.search(body.replace(b"\x00", b"")):
        return FeedLinks((), FEED_ENTITIES)
    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if isinstance(link, str) and link.strip():
            items.append(_item(link.strip(), entry))
    broken = parsed.get("bozo") and isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    return FeedLinks(tuple(items), FEED_MALFORMED if broken or not parsed.get("version") else None)


def _item(link: str, entry: Any) -> FeedItem:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    author = clean_text(str(entry.get("author") or "")) or None
    return FeedItem(link=link, title=clean_text(str(entry.get("title") or "")),
                    summary=summary_paragraphs(str(entry.get("summary") or "")),
                    published=published, author=author)


def summary_paragraphs(summary: str) -> tuple[str, ...]:
    """A feed description's text as paragraphs: markup dropped, one paragraph per block."""
    if "<" not in summary:
        return tuple(p for p in (clean_text(s) for s in summary.split("\n\n")) if p)
    try:
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, ValueError):
        return ()
    for br in root.iter("br"):
        br.tail = "\n\n" + (br.tail or "")
    blocks = root.xpath(".//p|.//li") or [root]
    text = "\n\n".join(b.text_content() for b in blocks)
    return tuple(p for p in (clean_text(s) for s in text.split("\n\n")) if p)


def feed_links(body: bytes) -> list[str]:
    """The item links of a feed, in feed order; a broken feed yields what could be read."""
    return list(read_feed(body).links)
