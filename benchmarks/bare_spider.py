"""Bare Scrapy: fetch a list of URLs with belmon's politeness and limits, discard the pages.

Run as `python -m benchmarks.bare_spider URLS_FILE`: the baseline that the full
pipeline is compared with in the same benchmark run. Only belmon's own components are left
out (its middlewares, pipelines and extensions): belmon's outlet guard would refuse every
request of a spider that follows no outlet, and a baseline that fetches nothing measures
nothing. The benchmark counts the pages the replica served to it and fails short of all.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.options import CrawlOptions
from crawler.settings import crawl_settings
from crawler.sources import load_sources


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kw: Any) -> None:
        super().__init__(**kw)
        self.urls = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.discard)

    def discard(self, response: scrapy.http.Response) -> None:
        return None


def main() -> None:
    urls = Path(sys.argv[1]).read_text(encoding="utf-8").split()
    settings = crawl_settings(list(load_sources().values()), CrawlOptions(download_delay=0))
    settings.update({"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "DOWNLOADER_MIDDLEWARES": {},
                     "SPIDER_MIDDLEWARES": {}, "LOG_LEVEL": "ERROR"})
    process = CrawlerProcess(settings)
    process.crawl(BareSpider, urls=urls)
    process.start()


if __name__ == "__main__":
    main()
