"""`belmon outlets check`: one feed or listing page and one article of each edition of an
outlet, crawled for real into a throw-away archive, and what was found in them and where."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.options import CrawlOptions
from crawler.sources import Source
from storage import queries
from storage.archive import Archive
from storage.queries import CHECKED_FIELDS, CheckedArticle, RunView


@dataclass(frozen=True)
class EditionCheck:
    """What one edition gave: where it was discovered from, the article read, its fields."""

    edition: str
    discovery: str  # the feed or listing URL that was asked for
    article: CheckedArticle | None


@dataclass(frozen=True)
class OutletCheck:
    source: Source
    run: RunView
    editions: list[EditionCheck]

    @property
    def unread(self) -> list[str]:
        """The editions that gave no article."""
        return [e.edition for e in self.editions if e.article is None]


def check_outlet(source: Source, options: CrawlOptions) -> OutletCheck:
    """Crawl a sample of `source` now (politely, as any crawl) and report on it; the user's
    archive is not touched. Runs Scrapy, so once per process."""
    from crawler.run import run_crawl  # Scrapy: only where a check really runs

    sample = replace(options, sample=True, refetch=True, max_pages=1, trigger="manual")
    with tempfile.TemporaryDirectory(prefix="belmon-check-") as folder:
        archive = Archive.open(str(Path(folder) / "check.sqlite"))
        try:
            run_ids = run_crawl([source], archive, sample)
            run = queries.runs_by_id(archive.engine, run_ids)[0]
            articles = queries.checked_articles(archive.engine)
        finally:
            archive.close()
    by_edition = {a.edition: a for a in articles}
    editions = [EditionCheck(e.lang, _discovery_url(source, e.lang), by_edition.get(e.lang))
                for e in source.editions]
    return OutletCheck(source, run, editions)


def _discovery_url(source: Source, lang: str) -> str:
    edition = source.edition(lang)
    path = edition.feeds[0] if edition.feeds else edition.listing_path(1) or "/"
    return source.url(path, edition)


def field_rows(check: OutletCheck) -> list[dict[str, Any]]:
    """One row per edition and field: whether it was found, from where, and a glimpse of it."""
    rows = []
    for e in check.editions:
        for name in CHECKED_FIELDS:
            value = e.article.fields.get(name) if e.article else None
            rows.append({
                "outlet": check.source.id, "edition": e.edition or None,
                "discovery": e.discovery, "url": e.article.url if e.article else None,
                "extractor": e.article.extractor if e.article else None,
                "field": name, "found": bool(value),
                "source": e.article.field_sources.get(name) if e.article else None,
                "value": _glimpse(name, value),
            })
    return rows


def _glimpse(name: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if name == "body":
        return f"{len(str(value).split())} words"
    text = str(value)
    return text if len(text) <= 70 else text[:69] + "…"


CHECK_COLUMNS = ("outlet", "edition", "discovery", "url", "extractor", "field", "found", "source",
                 "value")
