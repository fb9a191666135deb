"""An archive at scale: full-text top-20, the matched view for a month, bytes per article,
`rematch` time, and export memory, on a synthetic archive built from the corpus's sentences."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.measure import BELMON, median, run_child
from crawler.analysis import judge
from crawler.themes import load_themes
from crawler.themes.stemming import stem_text
from replica.corpus import OUTLETS, load_corpus
from storage import migrate
from storage.engine import create_archive_engine, database_url
from storage.search import ArticleFilters, search_articles

_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
QUERIES = ("калий", "Китая", "Кітай", "sanctions", "МАЗ", "транзит", "кредит", "Лукашенко")
_ARTICLE = (
    "INSERT INTO articles (id, outlet, url, outlet_article_id, edition, language, title, lead, "
    "body, published_at, fetched_at, text_hash, word_count, extractor, fetched_url, story_id, "
    "relevant, relevance, stems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'selectors', ?, ?, "
    "?, ?, ?)"
)


def _models() -> list[dict[str, Any]]:
    """Per corpus article: its sentences with their stems, and its theme verdict."""
    themes = load_themes()
    models = []
    for article in load_corpus():
        sentences = [s for p in article.body for s in _SENTENCE.split(p) if s]
        verdict = judge(article.title, article.lead, " ".join(article.body), article.lang,
                        themes, {})
        models.append({
            "article": article,
            "sentences": [(s, stem_text(s, article.lang)) for s in sentences],
            "title_stems": stem_text(f"{article.title} {article.lead}", article.lang),
            "verdict": verdict,
        })
    return models


def build(path: Path, count: int, seed: int = 5) -> float:
    """Write `count` articles; returns seconds taken."""
    start = time.perf_counter()
    engine = create_archive_engine(database_url(path))
    migrate.upgrade(engine)
    engine.dispose()
    models = _models()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    for outlet in OUTLETS:
        conn.execute("INSERT INTO outlets VALUES (?, ?, ?, '2026-01-01 00:00:00')",
                     (outlet, outlet, f"https://{outlet}.example"))
    first = datetime(2025, 1, 1, tzinfo=UTC)
    step = timedelta(days=700) / max(count, 1)
    for chunk in range(0, count, 20_000):
        ids = range(chunk + 1, min(count, chunk + 20_000) + 1)
        conn.executemany("INSERT INTO stories (id, created_at) VALUES (?, '2026-01-01 00:00:00')",
                         ((i,) for i in ids))
        rows, themes = [], []
        for i in ids:
            model = models[i % len(models)]
            rows.append(_row(i, model, rng, first + step * i))
            themes += [(i, t.theme_id, t.score, "[]") for t in model["verdict"].themes]
        conn.executemany(_ARTICLE, rows)
        conn.executemany("INSERT INTO article_themes VALUES (?, ?, ?, ?)", themes)
        conn.commit()
    conn.commit()  # the outlets, when no article is written
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - start


def _row(i: int, model: dict[str, Any], rng: random.Random, published: datetime) -> tuple[Any, ...]:
    article = model["article"]
    picked = rng.sample(model["sentences"], min(len(model["sentences"]), 8))
    body = " ".join(s for s, _ in picked)
    stems = model["title_stems"] + " " + " ".join(st for _, st in picked)
    verdict = model["verdict"]
    url = f"https://{article.outlet}.example/{article.lang}/news/{i}"
    return (i, article.outlet, url, str(i), article.lang, article.lang, f"{article.title} {i}",
            article.lead, body, published.strftime("%Y-%m-%d %H:%M:%S"), "2026-11-01 00:00:00",
            f"h{i}", len(body.split()), url, i, verdict.relevant, verdict.relevance, stems)


def _timed(func: Any, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return 1000 * median(timings)


def measure(path: Path, count: int, rematch: bool) -> dict[str, Any]:
    from crawler.themes.stemming import query_stems
    from storage.fulltext import fts_expression

    engine = create_archive_engine(database_url(path))
    fts = {q: _timed(lambda q=q: search_articles(engine, fts_expression(q, query_stems),
                                                 ArticleFilters(limit=20)), 5) for q in QUERIES}
    with engine.connect() as conn:
        month = _timed(lambda: conn.exec_driver_sql(
            "SELECT * FROM matched_articles WHERE published_at >= '2026-03-01' "
            "AND published_at < '2026-04-01'").fetchall(), 3)
        month_rows = len(conn.exec_driver_sql(
            "SELECT * FROM matched_articles WHERE published_at >= '2026-03-01' "
            "AND published_at < '2026-04-01'").fetchall())
    engine.dispose()
    result: dict[str, Any] = {
        "articles": count,
        "bytes_per_article": path.stat().st_size / count,
        "fts_top20_ms": median(list(fts.values())),
        "fts_top20_ms_worst": max(fts.values()),
        "matched_month_ms": month,
        "matched_month_rows": month_rows,
    }
    if rematch:
        run = run_child([*BELMON, "--log-level", "WARNING", "rematch", "--db", str(path)])
        result["rematch_s"] = run.wall_s
        result["rematch_ok"] = run.returncode == 0
    return result


def export_memory(path: Path, limits: list[int]) -> dict[str, float]:
    """Peak RSS of `belmon export` writing `limit` articles, for growing limits."""
    peaks = {}
    for limit in limits:
        with tempfile.TemporaryDirectory() as tmp:
            run = run_child([*BELMON, "export", "--db", str(path), "--limit", str(limit),
                             "--output", str(Path(tmp) / "out.jsonl")])
        peaks[str(limit)] = run.peak_rss_mb
    return peaks


def scale_benchmark(count: int, export_limits: list[int]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.sqlite"
        built = build(path, count)
        result = measure(path, count, rematch=True)
        result["build_s"] = built
        result["export_peak_mb"] = export_memory(path, [n for n in export_limits if n <= count])
    return result


if __name__ == "__main__":
    print(json.dumps(scale_benchmark(int(sys.argv[1]), [10_000, 100_000]), indent=1))
