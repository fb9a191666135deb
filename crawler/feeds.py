"""Article links from RSS and Atom feeds."""

from __future__ import annotations

import feedparser


def feed_links(body: bytes) -> list[str]:
    """The item links of a feed, in feed order; a broken feed yields what could be read."""
    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if isinstance(link, str) and link.strip():
            links.append(link.strip())
    return links
