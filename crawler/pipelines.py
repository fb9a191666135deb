"""Ordered pipeline stages: each fills in an article or drops it with a reason."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from crawler.analysis import analyse
from crawler.extract import Rejected, extract_article
from crawler.items import AnalysedArticle, ArticlePage
from crawler.rejections import DuplicateArticle, RejectedPage
from storage.articles import NEW, REVISED

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


class ExtractStage(_Stage):
    """HTML to Article, or a RejectedPage counted under its reason."""

    def process_item(self, item: ArticlePage) -> AnalysedArticle:
        result = extract_article(item.html, item.url, self.spider.source, item.fetched_at)
        if isinstance(result, Rejected):
            self.count(f"belmon/rejected/{result.reason}")
            raise RejectedPage(result.reason, result.url, result.detail)
        if result.extractor == "fallback":
            self.count("belmon/fallback")
        if result.published_at is None:
            self.count("belmon/no_date")
        return AnalysedArticle(article=result, seen_urls=item.seen_urls)


class AnalyseStage(_Stage):
    """Adds what the pure analysers say of the article: fingerprint, themes, references, stems."""

    def process_item(self, item: AnalysedArticle) -> AnalysedArticle:
        analysed = analyse(item, self.spider.themes, self.spider.references)
        if analysed.relevant:
            self.count("belmon/relevant")
        return analysed


class StoreStage(_Stage):
    """Writes each article in its own transaction, so a killed crawl loses at most one."""

    def process_item(self, item: AnalysedArticle) -> AnalysedArticle:
        article = item.article
        result = self.spider.archive.store_article(item, self.spider.run_id, self.spider.dedup)
        if result.outcome == REVISED:
            self.count("belmon/revised")
            log.info("%s: revised article %s", article.outlet, article.url)
            return item
        if result.outcome != NEW:
            self.count("belmon/duplicate")
            raise DuplicateArticle(result.outcome, article.url)
        self.count("belmon/new")
        if result.joined_story:
            self.count("belmon/near_duplicate")
        log.info("%s: new article %s — %s", article.outlet, article.url, article.title[:80])
        return item
