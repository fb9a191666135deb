"""Ordered pipeline stages: each fills in an article or drops it with a reason."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NoReturn

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extraction.extract import Rejected
from crawler.items import ArticlePage
from crawler.pool import read_page, read_page_with
from crawler.reasons import log_level, one_line
from storage.articles import FAILED, NEW, REVISED, StoreResult
from storage.engine import ArchiveError
from storage.records import AnalysedArticle


class RejectedPage(DropItem):
    """A fetched page that is not a usable article; `reason` is counted in the run record.

    The stage that raises it has already logged the one line a user needs; Scrapy's own
    "Dropped" message (which would print the whole item) stays at DEBUG.
    """

    def __init__(self, reason: str, url: str, detail: str = "") -> None:
        super().__init__(f"rejected, {reason}: {url} {detail}".strip(), log_level="DEBUG")
        self.reason = reason

log = logging.getLogger(__name__)


class _Stage:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _Stage:
        return cls(crawler)

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    def count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key)

    def reject(self, rejected: Rejected) -> NoReturn:
        """Count the page under its reason, log one line, and drop it."""
        self.count(f"belmon/rejected/{rejected.reason}")
        log.log(log_level(rejected.reason), "%s: rejected %s (%s)%s", self.spider.source.id,
                rejected.url, rejected.reason, f" {rejected.detail}" if rejected.detail else "")
        raise RejectedPage(rejected.reason, rejected.url, rejected.detail)


class ReadStage(_Stage):
    """HTML to an analysed article (in worker processes when there are any), or a
    RejectedPage counted under its reason."""

    def open_spider(self) -> None:
        self.pool = self.spider.pool  # shared by the crawl's outlets; run_crawl shuts it down

    async def process_item(self, item: ArticlePage) -> AnalysedArticle:
        try:
            result = await self._read(item)
        except Exception as exc:  # a bug or a broken install must cost this page, not the crawl
            result = Rejected(f"read-error: {type(exc).__name__}", item.url, one_line(exc))
        if isinstance(result, Rejected):
            self.reject(result)
        if result.article.extractor == "fallback":
            self.count("belmon/fallback")
        if result.article.published_at is None:
            self.count("belmon/no_date")
        if result.relevant:
            self.count("belmon/relevant")
        return result

    async def _read(self, item: ArticlePage) -> AnalysedArticle | Rejected:
        spider = self.spider
        if self.pool is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self.pool, read_page, item, spider.source)
            except BrokenProcessPool:
                log.warning("%s: the page-reading worker died; reading pages in-process",
                            spider.source.id)
                self.pool = None
        return read_page_with(item, spider.source, spider.themes, spider.references)


class StoreStage(_Stage):
    """Writes articles in small batches, each batch one short transaction.

    A batch is written when it holds BATCH articles, when its oldest article has waited
    MAX_WAIT seconds, and when the spider closes; a killed crawl loses at most the batch
    in flight, and the next crawl fetches those articles again.
    """

    BATCH = 25
    MAX_WAIT = 1.0

    def open_spider(self) -> None:
        self.pending: list[AnalysedArticle] = []
        self.oldest = 0.0

    def process_item(self, item: AnalysedArticle) -> AnalysedArticle:
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append(item)
        if len(self.pending) >= self.BATCH or time.monotonic() - self.oldest >= self.MAX_WAIT:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        spider = self.spider
        try:
            results = spider.archive.store_articles(batch, spider.run_id, spider.dedup)
        except ArchiveError:
            raise  # the archive cannot be written: StopOnArchiveError ends the crawl
        except Exception as exc:  # nothing of this batch was written; the next crawl retries it
            reason = f"store-error: {type(exc).__name__}"
            for item in batch:
                self.count(f"belmon/rejected/{reason}")
                log.warning("%s: rejected %s (%s) %s", item.article.outlet, item.article.url,
                            reason, one_line(exc))
            return
        for item, result in zip(batch, results, strict=True):
            self._count_outcome(item, result)

    def _count_outcome(self, item: AnalysedArticle, result: StoreResult) -> None:
        article = item.article
        if result.outcome == NEW:
            self.count("belmon/new")
            if result.joined_story:
                self.count("belmon/near_duplicate")
            log.info("%s: new article %s — %s", article.outlet, article.url, article.title[:80])
        elif result.outcome == REVISED:
            self.count("belmon/revised")
            log.info("%s: revised article %s", article.outlet, article.url)
        elif result.outcome == FAILED:
            self.count("belmon/rejected/store-failed")
        else:
            self.count("belmon/duplicate")
