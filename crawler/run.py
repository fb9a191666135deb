"""One crawl: every requested outlet fetched in this process, each with its own run record."""

from __future__ import annotations

import logging
import os

from scrapy.crawler import CrawlerProcess

from crawler.options import CrawlOptions
from crawler.pool import spawn_pool
from crawler.settings import crawl_settings
from crawler.sources import Source
from crawler.spiders.outlet import OutletSpider
from storage.archive import Archive
from storage.locks import pid_alive
from storage.references import reference_vectors

log = logging.getLogger(__name__)

def run_crawl(sources: list[Source], archive: Archive, options: CrawlOptions) -> list[int]:
    """Crawl `sources` now, in this process; returns the crawl_runs ids.

    Twisted's reactor cannot restart, so this runs once per process: the
    daemon calls it in a child process for each scheduled crawl.
    """
    archive.fail_abandoned_runs(pid_alive)
    # One pool of page readers for every outlet of this crawl, started before Scrapy so
    # that its start-up overlaps the first fetches.
    pool = spawn_pool(options.workers, options.themes_file, reference_vectors(archive.engine))
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

