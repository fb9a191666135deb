"""An outlet whose article pages refuse crawlers (Zerkalo may answer 403): the feed item's own
title, summary and time become the article, marked `extractor = 'feed'`; once the pages answer
again the next crawl reads them in full, and a refused page never replaces a full text."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

from replica.houses import public_url
from replica.server import Replica
from tests.conftest import query
from tests.faults.crawling import crawl, runs

ARTICLE_PAGES = "/*.html"  # Zerkalo's article pages, not its feeds (/rss/all.rss)


def _stored(db: Path) -> dict[str, tuple[object, ...]]:
    rows = query(db, "select url, title, lead, body, published_at, extractor, field_sources "
                     "from articles where outlet = 'zerkalo'")
    return {str(r[0]): r[1:] for r in rows}


def test_refused_pages_are_kept_from_their_feed_items_then_read_in_full(
    replica: Replica, db: Path
) -> None:
    truth = {public_url(a): a for a in replica.articles("zerkalo")}
    replica.set_fault(ARTICLE_PAGES, "status", outlet="zerkalo", status=403)
    first = crawl(replica, db, outlets=["zerkalo"])
    assert first.returncode == 0, first.stderr[-2000:]

    stored = _stored(db)
    assert set(stored) == set(truth)
    for url, (title, lead, body, published, extractor, sources) in stored.items():
        article = truth[url]
        assert extractor == "feed", url
        assert title == article.title
        assert lead is None and body == article.lead  # the feed's description is all there is
        assert str(published)[:16] == article.published.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        assert json.loads(str(sources))["body"] == "feed"
    refused = sum(1 for line in first.stderr.splitlines() if "refused us (http-403)" in line)
    assert refused == len(truth)  # one line each
    assert runs(db)["zerkalo"]["status"] == "partial"  # the refusals stay visible

    replica.clear_faults()
    second = crawl(replica, db, outlets=["zerkalo"])
    assert second.returncode == 0, second.stderr[-2000:]
    stored = _stored(db)
    for url, (title, lead, body, _published, extractor, _sources) in stored.items():
        article = truth[url]
        assert extractor == "selectors", url
        assert (title, lead, body) == (article.title, article.lead, "\n\n".join(article.body))

    replica.set_fault(ARTICLE_PAGES, "status", outlet="zerkalo", status=403)
    third = crawl(replica, db, "--refetch", outlets=["zerkalo"])
    assert third.returncode == 0, third.stderr[-2000:]
    assert _stored(db) == stored  # the summaries did not overwrite the full texts
