"""Spider middleware: a parse callback that raises costs its own page, counted and logged in one line."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.reasons import one_line

log = logging.getLogger(__name__)


class CallbackErrors:
    """Turns an exception from a spider callback into a count in the run record.

    An article page's error is a rejection (`parse-error: KeyError`), a feed's or listing
    page's a fetch error of its kind (`listing parse-error: KeyError`); either way the
    crawl goes on, and the log gets one line with the URL instead of a traceback.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackErrors:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Spider | None = None
    ) -> Iterable[Any] | None:
        if type(exception).__module__.startswith("scrapy."):
            return None  # Scrapy's own signals (HttpError, CloseSpider, ...) keep their handling
        reason = f"parse-error: {type(exception).__name__}"
        kind = response.meta.get("belmon_kind", "article")
        key = (f"belmon/rejected/{reason}" if kind == "article"
               else f"belmon/fetch_errors/{kind} {reason}")
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key)
        name = getattr(self.crawler.spider, "name", "?")
        log.warning("%s: rejected %s (%s) %s", name, response.url, reason, one_line(exception))
        return ()
