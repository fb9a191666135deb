"""End-to-end crawl of a scaled replica: the full pipeline against bare Scrapy, in one run."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.measure import BELMON, median, run_child
from crawler.sources import load_sources
from replica.server import Replica
from replica.synthetic import empty_corpus, scaled_corpus


def crawl_benchmark(articles: int, rounds: int, page_kb: int = 100) -> dict[str, Any]:
    """Full `belmon crawl` vs bare Scrapy on the same pages, alternating, `rounds` times each.

    Pages carry `page_kb` of boilerplate, the weight of real outlet pages.
    """
    with Replica(port=0, articles_root=empty_corpus(), page_weight_kb=page_kb) as replica:
        for article in scaled_corpus(articles):
            replica.add(article)
        base_args = [a for sid, url in replica.base_urls.items()
                     for a in ("--base-url", f"{sid}={url}")]
        full, bare, incremental = [], [], []
        pages: list[str] = []
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                db = str(Path(tmp) / "bench.sqlite")
                replica.reset_request_log()
                full.append(run_child([*BELMON, "--log-level", "WARNING", "crawl", "--db", db,
                                       "--delay", "0", "--max-pages", "10000", *base_args]))
                pages = [replica.base_urls[o] + p for o, p in replica.request_log
                         if p != "/robots.txt"]
                replica.reset_request_log()
                incremental.append(run_child([*BELMON, "--log-level", "WARNING", "crawl", "--db",
                                              db, "--delay", "0", "--max-pages", "10000",
                                              *base_args]))
                incremental_log = replica.request_log
                urls = Path(tmp) / "urls.txt"
                urls.write_text("\n".join(pages), encoding="utf-8")
                replica.reset_request_log()
                bare.append(run_child([_python(), "-m", "benchmarks.bare_spider", str(urls)]))
                _check_served("bare Scrapy", len(pages), replica.request_log)
                _check_stored(db, articles)
    sources = load_sources()
    article_requests = [p for o, p in incremental_log
                        if (pattern := sources[o.split(".")[0]].article_pattern) is not None
                        and pattern.match(p)]
    return {
        "articles": articles,
        "pages": len(pages),
        "full_pages_per_s": median([len(pages) / r.wall_s for r in full]),
        "bare_pages_per_s": median([len(pages) / r.wall_s for r in bare]),
        "full_cpu_ms_per_article": median([1000 * r.cpu_s / articles for r in full]),
        "bare_cpu_ms_per_page": median([1000 * r.cpu_s / len(pages) for r in bare]),
        "full_peak_mb": max(r.peak_rss_mb for r in full),
        "bare_peak_mb": max(r.peak_rss_mb for r in bare),
        "incremental_requests": len(incremental_log),
        "incremental_article_requests": len(article_requests),
        "incremental_wall_s": median([r.wall_s for r in incremental]),
        "failed_runs": sum(r.returncode != 0 for r in full + bare + incremental),
        "rounds": rounds,
        "page_kb": page_kb,
    }


def _check_served(who: str, wanted: int, log: list[tuple[str, str]]) -> None:
    """Fail unless the replica answered every page: a run that fetched nothing is no baseline."""
    served = len([p for _o, p in log if p != "/robots.txt"])
    if served < wanted:
        raise RuntimeError(f"{who} fetched {served} of the {wanted} pages: nothing to compare")


def _check_stored(db: str, articles: int) -> None:
    conn = sqlite3.connect(db)
    try:
        stored = conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()
    if stored < articles:
        raise RuntimeError(f"the full pipeline stored {stored} of {articles} articles")


def _python() -> str:
    import sys

    return sys.executable
