"""Stops a crawl whose archive cannot be written: every later article would fail alike."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from storage.engine import ArchiveError

log = logging.getLogger(__name__)
# Where Scrapy logs a failed item ("Error processing ...") and a failed pipeline close.
QUIETED_LOGGERS = ("scrapy.core.scraper", "scrapy.core.engine")


class StopOnArchiveError:
    """On an ArchiveError from the pipeline (disk full, file made read-only, I/O error), closes
    the spider with that error as its reason, so the run is recorded as failed and says why."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stopping = False
        self.one_line = _OneLineArchiveErrors(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopOnArchiveError:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        for name in QUIETED_LOGGERS:
            logging.getLogger(name).addFilter(self.one_line)

    def spider_closed(self, spider: Spider) -> None:
        for name in QUIETED_LOGGERS:
            logging.getLogger(name).removeFilter(self.one_line)

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Failure) -> None:
        if self.stopping or not isinstance(failure.value, ArchiveError):
            return
        self.stopping = True
        log.error("%s: stopping the crawl: %s", spider.name, failure.value)
        assert self.crawler.engine is not None
        # Not awaited: closing waits for the item being processed, which is this one.
        deferred_from_coro(
            self.crawler.engine.close_spider_async(reason=f"archive error: {failure.value}"))


class _OneLineArchiveErrors(logging.Filter):
    """Scrapy logs a failed item with its whole repr (the page's HTML) and a traceback; an
    ArchiveError needs neither, its message says what is wrong. Each one is also counted
    (belmon/archive_errors), the final batch's included, which fails as the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__()
        self.crawler = crawler

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ArchiveError):
            item = getattr(record, "item", None)
            if item is not None:
                url = getattr(getattr(item, "article", item), "url", "?")
                record.msg, record.args = "could not store %s: %s", (url, error)
            else:
                record.msg, record.args = "%s: %s", (record.getMessage(), error)
            record.exc_info, record.exc_text = None, None
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("belmon/archive_errors")
                self.crawler.stats.set_value("belmon/archive_error", str(error))  # the last
        return True
