"""Outlet extractors against a general-purpose one (trafilatura) on the same replica pages."""

from __future__ import annotations

import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import trafilatura

from benchmarks.measure import median
from crawler.extraction.extract import extract_article
from crawler.extraction.textnorm import clean_text
from crawler.sources import load_sources
from replica.corpus import ReplicaArticle, load_corpus
from replica.houses import host_key
from replica.server import Replica
from storage.records import Article

Page = tuple[ReplicaArticle, dict[str | None, str], str, str]  # truth, its hosts, URL, HTML


def _pages() -> list[Page]:
    with Replica(port=0) as replica:
        pages = []
        for truth in load_corpus():
            base = replica.base_urls[host_key(truth)]
            with urllib.request.urlopen(base + truth.path, timeout=10) as response:
                pages.append((truth, replica.edition_urls(truth.outlet), base + truth.path,
                              response.read().decode("utf-8")))
    return pages


def _ours(pages: list[Page]) -> list[dict[str, Any]]:
    sources = load_sources()
    out = []
    for truth, hosts, url, html in pages:
        got = extract_article(html, url, sources[truth.outlet].with_base_urls(hosts),
                              datetime.now(UTC))
        assert isinstance(got, Article)
        out.append({"title": got.title, "body": (got.lead or "") + " " + got.body,
                    "date": got.published_at, "author": got.author})
    return out


def _peer(pages: list[Page]) -> list[dict[str, Any]]:
    out = []
    for _truth, _base, url, html in pages:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
        data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
        date = data.get("date")
        out.append({"title": data.get("title") or "", "body": data.get("text") or "",
                    "date": date, "author": data.get("author")})
    return out


def _accuracy(pages: list[tuple[ReplicaArticle, str, str, str]],
              results: list[dict[str, Any]]) -> dict[str, float]:
    n = len(pages)
    title = body = date = author = 0
    f1 = 0.0
    for (truth, *_), got in zip(pages, results, strict=True):
        title += clean_text(got["title"]) == truth.title
        expected_body = clean_text(truth.lead + " " + " ".join(truth.body))
        found_body = clean_text(got["body"].replace("\n", " "))
        body += found_body == expected_body
        f1 += _word_f1(found_body, expected_body)
        date += _same_minute(got["date"], truth)
        author += (got["author"] or None) == truth.author
    return {"title": title / n, "body_exact": body / n, "body_word_f1": f1 / n,
            "published_at": date / n, "author": author / n}


def _word_f1(found: str, expected: str) -> float:
    """Bag-of-words F1 of an extracted body against the true one."""
    got, want = Counter(found.split()), Counter(expected.split())
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _same_minute(value: Any, truth: ReplicaArticle) -> bool:
    if isinstance(value, datetime):
        return value.astimezone(UTC) == truth.published_utc
    if isinstance(value, str):  # trafilatura gives a date without a time
        return value == truth.published.strftime("%Y-%m-%d")
    return False


def extraction_benchmark(rounds: int) -> dict[str, Any]:
    pages = _pages()
    result: dict[str, Any] = {"pages": len(pages)}
    for name, func in (("belmon", _ours), ("trafilatura", _peer)):
        timings = []
        for _ in range(rounds):
            start = time.perf_counter()
            extracted = func(pages)
            timings.append(time.perf_counter() - start)
        result[name] = {"pages_per_s": len(pages) / median(timings),
                        "accuracy": _accuracy(pages, extracted)}
    return result
