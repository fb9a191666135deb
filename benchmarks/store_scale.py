"""Store cost per article as the archive grows: archives of 0, 200k and 1M articles with
their near-duplicate band rows, written to by the crawl's own path (`Archive.store_articles`,
batches of 25, the near-duplicate policy), side by side in one run.

The archives are the full-text benchmark's (storage/archive_scale.py: the corpus's sentences
recombined, published over 700 days, with stems, themes and the full-text index), plus what
the crawl writes for near-duplicates: a 512-byte signature per article and its 42 band rows.
The articles were fetched when they were published, one every 700 days / N, so the band
rows are those the near-duplicate window keeps (the last 30 days' articles); one archive
keeps every article's band rows, as belmon did before the window, for comparison.

    python -m benchmarks.store_scale 0 200000 1000000
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.archive_scale import build
from benchmarks.measure import median
from crawler.extraction.textnorm import text_hash
from crawler.fingerprint import DEFAULT_THRESHOLD, article_text, band_hashes, fingerprint, similarity
from replica.corpus import OUTLETS
from replica.synthetic import scaled_corpus
from storage.archive import Archive
from storage.records import AnalysedArticle, Article
from storage.stories import NEAR_DUPLICATE_WINDOW, NearDuplicatePolicy

BATCH = 25  # as crawler/pipelines.py writes
NO_WINDOW = timedelta(days=100 * 365)
SIGNATURE_BYTES = 512


def add_fingerprints(path: Path, count: int, every_band: bool, seed: int = 11) -> datetime | None:
    """Give the archive's articles fetch times (their publication), signatures and band rows
    (the window's, or every article's); returns the newest fetch time."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("UPDATE articles SET fetched_at = published_at")
    newest_text = conn.execute("SELECT max(fetched_at) FROM articles").fetchone()[0]
    if newest_text is None:
        conn.close()
        return None
    newest = datetime.fromisoformat(newest_text).replace(tzinfo=UTC)
    cutoff = (newest - NEAR_DUPLICATE_WINDOW).strftime("%Y-%m-%d %H:%M:%S")
    rng = random.Random(seed)
    for chunk in range(0, count, 20_000):
        ids = conn.execute("SELECT id, fetched_at FROM articles WHERE id > ? AND id <= ? "
                           "ORDER BY id", (chunk, chunk + 20_000)).fetchall()
        prints, bands = [], []
        for article_id, fetched in ids:
            signature = rng.randbytes(SIGNATURE_BYTES)
            prints.append((article_id, signature))
            if every_band or fetched >= cutoff:
                bands += [(h, article_id) for h in sorted(set(band_hashes(signature)))]
        conn.executemany("INSERT INTO article_fingerprints VALUES (?, ?)", prints)
        conn.executemany("INSERT INTO article_bands (hash, article_id) VALUES (?, ?)", bands)
        conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return newest


def new_articles(count: int, fetched: datetime, seed: int) -> list[AnalysedArticle]:
    """`count` articles never seen before, as the crawl's readers hand them to the store."""
    items = []
    for n, made in enumerate(scaled_corpus(count, seed=seed)):
        url = f"https://{made.outlet}.example/{made.lang}/new/{seed}-{n}"
        article = Article(
            outlet=made.outlet, edition=made.lang, language=made.lang, url=url, fetched_url=url,
            outlet_article_id=f"{seed}-{n}", title=made.title, lead=made.lead,
            paragraphs=made.body, author=None, published_at=fetched, fetched_at=fetched,
            image_url=None, text_hash=text_hash(made.body), extractor="selectors")
        found = fingerprint(article_text(made.lead, made.body))
        items.append(AnalysedArticle(article=article, signature=found.signature,
                                     bands=found.bands, relevant=False, relevance=0.0,
                                     stems=" ".join(made.body).lower()))
    return items


def store_cost_ms(path: Path, newest: datetime | None, per_round: int, seed: int,
                  window: timedelta = NEAR_DUPLICATE_WINDOW) -> dict[str, Any]:
    """Milliseconds per stored article, storing `per_round` new ones (made from `seed`)."""
    policy = NearDuplicatePolicy(similarity, DEFAULT_THRESHOLD, window=window)
    archive = Archive.open(str(path))
    for outlet in OUTLETS:
        archive.register_source(outlet, outlet, f"https://{outlet}.example")
    fetched = (newest or datetime(2026, 12, 1, tzinfo=UTC)) + timedelta(minutes=1)
    items = new_articles(per_round, fetched + timedelta(minutes=seed), seed=seed)
    stored = 0
    start = time.perf_counter()
    for i in range(0, len(items), BATCH):
        results = archive.store_articles(items[i:i + BATCH], None, policy)
        stored += sum(r.outcome == "new" for r in results)
    seconds = time.perf_counter() - start
    with archive.engine.connect() as conn:
        band_rows = conn.exec_driver_sql("SELECT count(*) FROM article_bands").scalar()
    archive.close()
    if stored != per_round:
        raise RuntimeError(f"stored {stored} of {per_round} new articles")
    return {"store_ms": 1000 * seconds / per_round, "band_rows": band_rows,
            "file_mb": path.stat().st_size / 1e6}


def store_benchmark(sizes: list[int], every_band_sizes: list[int], per_round: int = 1000,
                    rounds: int = 3) -> dict[str, Any]:
    """Each size in its own archive, built first; then the rounds alternate between them."""
    with tempfile.TemporaryDirectory() as tmp:
        archives: list[tuple[str, Path, datetime | None, timedelta]] = []
        builds = {}
        for size, every in [(s, False) for s in sizes] + [(s, True) for s in every_band_sizes]:
            label = f"{size}" + (" every band" if every else "")
            path = Path(tmp) / f"store-{size}-{int(every)}.sqlite"
            start = time.perf_counter()
            build(path, size)
            newest = add_fingerprints(path, size, every)
            builds[label] = time.perf_counter() - start
            # Every band kept and none expired: belmon before the window.
            window = NO_WINDOW if every else NEAR_DUPLICATE_WINDOW
            archives.append((label, path, newest, window))
        results: dict[str, list[dict[str, Any]]] = {a[0]: [] for a in archives}
        for n in range(rounds):  # alternating, so that a noisy minute hits every size alike
            for label, path, newest, window in archives if n % 2 == 0 else archives[::-1]:
                results[label].append(store_cost_ms(path, newest, per_round, 1000 + n, window))
        for _label, path, _n, _w in archives:
            os.unlink(path)
    table = {label: {"store_ms": median([r["store_ms"] for r in runs]),
                     "band_rows": runs[-1]["band_rows"], "file_mb": runs[-1]["file_mb"],
                     "build_s": builds[label]} for label, runs in results.items()}
    empty = table[str(min(sizes))]["store_ms"]
    for row in table.values():
        row["ratio"] = row["store_ms"] / empty
    return {"per_round": per_round, "rounds": rounds, "sizes": table}


if __name__ == "__main__":
    print(json.dumps(store_benchmark([int(a) for a in sys.argv[1:]], []), indent=1))
