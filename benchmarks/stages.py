"""Microseconds per article for each pipeline stage, on pages served by the replica."""

from __future__ import annotations

import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.measure import median
from crawler.extraction.extract import extract_article
from crawler.fingerprint import DEFAULT_THRESHOLD, article_text, fingerprint, similarity
from crawler.sources import Source, load_sources
from replica.corpus import OUTLETS
from replica.houses import host_key
from replica.server import Replica
from replica.synthetic import empty_corpus, scaled_corpus
from storage.archive import Archive
from storage.records import AnalysedArticle, Article
from storage.stories import NearDuplicatePolicy


def _pages(count: int) -> tuple[list[tuple[Source, str, str]], int]:
    articles = scaled_corpus(count)
    sources = load_sources()
    pages = []
    with Replica(port=0, articles_root=empty_corpus()) as replica:
        for article in articles:
            replica.add(article)
        for article in articles:
            base = replica.base_urls[host_key(article)]
            with urllib.request.urlopen(base + article.path, timeout=10) as response:
                html = response.read().decode("utf-8")
            source = sources[article.outlet].with_base_urls(replica.edition_urls(article.outlet))
            pages.append((source, base + article.path, html))
    return pages, sum(len(h) for _s, _u, h in pages) // len(pages)


def _per_item_us(func: Callable[[Any], Any], items: list[Any], rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            func(item)
        timings.append((time.perf_counter() - start) / len(items))
    return 1e6 * median(timings)


def stages_benchmark(count: int, rounds: int) -> dict[str, Any]:
    pages, page_bytes = _pages(count)
    now = datetime.now(UTC)

    def extract(page: tuple[Source, str, str]) -> Article:
        result = extract_article(page[2], page[1], page[0], now)
        assert isinstance(result, Article)
        return result

    articles = [extract(p) for p in pages]  # warms the language model once
    texts = [article_text(a.lead, a.paragraphs) for a in articles]
    result: dict[str, Any] = {"articles": count, "page_bytes": page_bytes}
    result["extract_us"] = _per_item_us(extract, pages, rounds)
    result["fingerprint_us"] = _per_item_us(fingerprint, texts, rounds)
    items = [AnalysedArticle(a, *_print(t)) for a, t in zip(articles, texts, strict=True)]
    result["store_us"] = _store_us(items, rounds)
    return result


def _print(text: str) -> tuple[bytes, tuple[int, ...]]:
    found = fingerprint(text)
    return found.signature, found.bands


def _store_us(items: list[AnalysedArticle], rounds: int) -> float:
    """One transaction per article into a fresh archive, as a crawl writes."""
    policy = NearDuplicatePolicy(similarity, DEFAULT_THRESHOLD)
    timings = []
    for n in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            archive = Archive.open(str(Path(tmp) / "stage.sqlite"))
            for source in OUTLETS:
                archive.register_source(source, source, f"https://{source}.example")
            renamed = [replace(i, article=replace(i.article, url=f"{i.article.url}?r={n}"))
                       for i in items]
            start = time.perf_counter()
            for item in renamed:
                archive.store_article(item, None, policy)
            timings.append((time.perf_counter() - start) / len(items))
            archive.close()
    return 1e6 * median(timings)
