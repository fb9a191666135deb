"""Article links from RSS and Atom feeds; a feed that declares entities is never parsed."""

from __future__ import annotations

import re
import xml.sax
from dataclasses import dataclass

import feedparser

# Entity declarations are how a feed reads local files (external entities) or expands a few
# bytes into gigabytes ("billion laughs"); no real news feed needs one.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
FEED_ENTITIES = "feed-entities"
FEED_MALFORMED = "feed-malformed"


@dataclass(frozen=True)
class FeedLinks:
    """The item links of a feed, and what was wrong with it, if anything."""

    links: tuple[str, ...]
    problem: str | None = None


def read_feed(body: bytes) -> FeedLinks:
    """The item links in feed order. A feed declaring entities yields none (FEED_ENTITIES);
    a malformed one yields what could be read (FEED_MALFORMED)."""
    if _ENTITY_DECLARATION.search(body) or _ENTITY_DECLARATION.search(body.replace(b"\x00", b"")):
        return FeedLinks((), FEED_ENTITIES)
    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if isinstance(link, str) and link.strip():
            links.append(link.strip())
    broken = parsed.get("bozo") and isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    return FeedLinks(tuple(links), FEED_MALFORMED if broken or not parsed.get("version") else None)


def feed_links(body: bytes) -> list[str]:
    """The item links of a feed, in feed order; a broken feed yields what could be read."""
    return list(read_feed(body).links)
