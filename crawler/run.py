"""One crawl: every requested outlet fetched in this process, each with its own run record."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawler.fingerprint import DEFAULT_THRESHOLD, similarity
from crawler.processes import pid_alive
from crawler.settings import crawl_settings
from crawler.sources import Source
from crawler.spiders.outlet import OutletSpider
from crawler.workers import worker_pool
from storage.archive import Archive
from storage.references import reference_vectors
from storage.stories import NearDuplicatePolicy

log = logging.getLogger(__name__)

TRIGGERS = ("manual", "schedule", "catch-up", "demo")


def default_workers() -> int:
    """One page-reading process per core beyond the reactor's, at most two."""
    return min(2, max(0, (os.cpu_count() or 1) - 1))


@dataclass(frozen=True)
class CrawlOptions:
    """How a crawl behaves; every field has a documented setting or flag."""

    trigger: str = "manual"
    refetch: bool = False
    max_pages: int = 5
    download_delay: float | None = None  # None: each outlet's own politeness delay
    timeout: float = 30.0
    obey_robots: bool = True
    user_agent: str | None = None
    dedup_threshold: float = DEFAULT_THRESHOLD
    themes_file: Path | None = None  # None: the packaged theme definitions
    workers: int = field(default_factory=default_workers)  # processes that read pages; 0: inline

    def near_duplicates(self) -> NearDuplicatePolicy:
        """How a new text is compared with stored ones to find the story it belongs to."""
        return NearDuplicatePolicy(similarity, self.dedup_threshold)

    def __post_init__(self) -> None:
        if self.trigger not in TRIGGERS:
            raise ValueError(f"unknown trigger {self.trigger!r}; expected one of {TRIGGERS}")
        if self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")


def run_crawl(sources: list[Source], archive: Archive, options: CrawlOptions) -> list[int]:
    """Crawl `sources` now, in this process; returns the crawl_runs ids.

    Twisted's reactor cannot restart, so this runs once per process: the
    daemon calls it in a child process for each scheduled crawl.
    """
    archive.fail_abandoned_runs(pid_alive)
    # One pool of page readers for every outlet of this crawl, started before Scrapy so
    # that its start-up overlaps the first fetches.
    pool = worker_pool(options.workers, options.themes_file, reference_vectors(archive.engine))
    try:
        process = CrawlerProcess(crawl_settings(sources, options))
        run_ids = []
        for source in sources:
            archive.register_source(source.id, source.name, source.canonical_base)
            run_id = archive.start_run(source.id, options.trigger, source.base_url, os.getpid())
            run_ids.append(run_id)
            process.crawl(OutletSpider, source=source, archive=archive, run_id=run_id,
                          options=options, pool=pool)
            log.info("%s: crawling %s (run %d)", source.id, source.base_url, run_id)
        process.start()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return run_ids
