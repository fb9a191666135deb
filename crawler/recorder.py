"""The run record: turns a closed spider's stats into its crawl_runs row."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from storage.records import RunTotals

log = logging.getLogger(__name__)


class RunRecorder:
    """Scrapy extension: on spider_closed, writes the run's counts and status."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        totals = run_totals(self.crawler.stats.get_stats(), reason)
        spider.archive.finish_run(spider.run_id, totals)  # type: ignore[attr-defined]
        log.info("%s: run %s %s", spider.name, spider.run_id, totals.status)  # type: ignore[attr-defined]


def run_totals(stats: dict[str, Any], reason: str) -> RunTotals:
    """Counts and a status (ok, partial, failed, stopped) from Scrapy's stats. Pure."""
    rejected = _by_prefix(stats, "belmon/rejected/")
    fetch_errors = _by_prefix(stats, "belmon/fetch_errors/")
    discovery = int(stats.get("belmon/discovery_pages", 0))
    totals = RunTotals(
        status="ok",
        pages_fetched=discovery + int(stats.get("belmon/article_pages", 0)),
        article_pages_fetched=int(stats.get("belmon/article_pages", 0)),
        articles_new=int(stats.get("belmon/new", 0)),
        articles_skipped=int(stats.get("belmon/skipped_known", 0)),
        articles_duplicate=int(stats.get("belmon/duplicate", 0)),
        articles_revised=int(stats.get("belmon/revised", 0)),
        articles_near_duplicate=int(stats.get("belmon/near_duplicate", 0)),
        articles_rejected=sum(rejected.values()),
        rejected_reasons=rejected,
        fetch_errors=sum(fetch_errors.values()),
        fallback_used=int(stats.get("belmon/fallback", 0)),
        no_date=int(stats.get("belmon/no_date", 0)),
    )
    errors = int(stats.get("log_count/ERROR", 0))
    archive_errors = int(stats.get("belmon/archive_errors", 0))
    if reason == "shutdown":  # SIGTERM or Ctrl-C: a planned stop, neither failure nor success
        totals.status, totals.message = "stopped", "stopped before the end (SIGTERM or Ctrl-C)"
    elif reason != "finished":
        totals.status, totals.message = "failed", f"crawl stopped: {reason}"
    elif archive_errors:
        totals.status = "failed"
        last = stats.get("belmon/archive_error")
        totals.message = (f"{archive_errors} batch(es) could not be written to the archive"
                          + (f": {last}" if last else ""))
    elif discovery == 0:
        totals.status = "failed"
        totals.message = "no discovery page could be fetched" + _errors_text(fetch_errors)
    elif _none_became_an_article(totals, fetch_errors):
        totals.status = "failed"
        tried = totals.article_pages_fetched + _article_fetch_errors(fetch_errors)
        totals.message = (f"none of the {tried} article pages became an article"
                          + _reasons_text(rejected) + _errors_text(fetch_errors))
    elif fetch_errors or rejected or errors:
        totals.status = "partial"
        totals.message = _errors_text(fetch_errors).lstrip("; ") or None
    return totals


def _none_became_an_article(totals: RunTotals, fetch_errors: dict[str, int]) -> bool:
    """Article pages were asked for, and not one was stored, known or a copy: a broken reader
    (a redesign, a missing package) looks like this, and must not pass for a partial run."""
    tried = totals.article_pages_fetched + _article_fetch_errors(fetch_errors)
    became = totals.articles_new + totals.articles_duplicate + totals.articles_revised
    return tried > 0 and became == 0


def _article_fetch_errors(fetch_errors: dict[str, int]) -> int:
    return sum(n for k, n in fetch_errors.items() if k.startswith("article "))


def _reasons_text(rejected: dict[str, int]) -> str:
    if not rejected:
        return ""
    return "; rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(rejected.items()))


def _by_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: int(v) for k, v in stats.items() if k.startswith(prefix)}


def _errors_text(fetch_errors: dict[str, int]) -> str:
    if not fetch_errors:
        return ""
    return "; fetch errors: " + ", ".join(f"{k} {v}" for k, v in sorted(fetch_errors.items()))
