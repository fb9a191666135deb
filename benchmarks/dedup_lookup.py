"""Near-duplicate lookup against 10,000 to 1,000,000 stored signatures, and the index's size."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.measure import median
from crawler.fingerprint import BANDS, DEFAULT_THRESHOLD, PERMUTATIONS, article_text, fingerprint, similarity
from replica.synthetic import scaled_corpus
from storage import migrate
from storage.engine import create_archive_engine, database_url
from storage.stories import NearDuplicatePolicy, find_story

_ARTICLE = (
    "INSERT INTO articles (id, outlet, url, outlet_article_id, edition, language, title, body, "
    "fetched_at, text_hash, word_count, extractor, fetched_url, story_id) VALUES "
    "(?, 'charter97', ?, ?, 'ru', 'ru', 't', 'b', '2026-01-01 00:00:00', ?, 1, 'selectors', ?, ?)"
)


def build(path: Path, count: int, seed: int = 11) -> int:
    """An archive of `count` articles with random signatures; returns the index's bytes."""
    engine = create_archive_engine(database_url(path))
    migrate.upgrade(engine)
    engine.dispose()
    rng = np.random.default_rng(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("INSERT INTO outlets VALUES ('charter97', 'Charter97', 'https://charter97.org', "
                 "'2026-01-01 00:00:00')")
    ids = range(1, count + 1)
    conn.executemany("INSERT INTO stories (id, created_at) VALUES (?, '2026-01-01 00:00:00')",
                     ((i,) for i in ids))
    conn.executemany(_ARTICLE, ((i, f"u{i}", str(i), f"h{i}", f"u{i}", i) for i in ids))
    conn.commit()
    before = _bytes(conn)
    signatures = rng.integers(0, 2**32, size=(count, PERMUTATIONS), dtype=np.uint32)
    conn.executemany("INSERT INTO article_fingerprints VALUES (?, ?)",
                     ((i, signatures[i - 1].tobytes()) for i in ids))
    bands = rng.integers(-(2**63), 2**63 - 1, size=(count, BANDS), dtype=np.int64)
    owners = np.repeat(np.arange(1, count + 1, dtype=np.int64), BANDS)
    order = np.argsort(bands.ravel(), kind="stable")
    flat, owners = bands.ravel()[order], owners[order]
    del bands, order
    step = 1_000_000  # rows per batch: Python lists of all 42 million would take gigabytes
    for at in range(0, flat.size, step):
        conn.executemany("INSERT INTO article_bands VALUES (?, ?)",
                         zip(flat[at:at + step].tolist(), owners[at:at + step].tolist(),
                             strict=True))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    extra = _bytes(conn) - before
    conn.close()
    return extra


def _bytes(conn: sqlite3.Connection) -> int:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    return int((pages - free) * conn.execute("PRAGMA page_size").fetchone()[0])


def lookups(path: Path, probes: int = 200) -> dict[str, float]:
    """Median milliseconds of find_story for new texts, and for a planted near-duplicate."""
    engine = create_archive_engine(database_url(path))
    policy = NearDuplicatePolicy(similarity, DEFAULT_THRESHOLD)
    texts = [article_text(a.lead, a.body) for a in scaled_corpus(probes)]
    prints = [fingerprint(t) for t in texts]
    planted = prints[0]
    with engine.begin() as conn:  # article 1 gets the probe's own text: a certain match
        conn.exec_driver_sql("UPDATE article_fingerprints SET signature = ? WHERE article_id = 1",
                             (planted.signature,))
        conn.exec_driver_sql("INSERT OR IGNORE INTO article_bands VALUES " +
                             ", ".join(f"({b}, 1)" for b in planted.bands))
    with engine.connect() as conn:
        new_ms, dup_ms = [], []
        for fp in prints[1:]:
            start = time.perf_counter()
            find_story(conn, fp.signature, fp.bands, policy)
            new_ms.append(1000 * (time.perf_counter() - start))
        for _ in range(probes):
            start = time.perf_counter()
            found = find_story(conn, planted.signature, planted.bands, policy)
            dup_ms.append(1000 * (time.perf_counter() - start))
        assert found is not None
    engine.dispose()
    return {"new_text_ms": median(new_ms), "near_duplicate_ms": median(dup_ms)}


def dedup_benchmark(sizes: list[int]) -> dict[str, Any]:
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "dedup.sqlite"
            start = time.perf_counter()
            extra = build(path, size)
            built = time.perf_counter() - start
            results[str(size)] = {**lookups(path), "index_bytes_per_article": extra / size,
                                  "build_s": built}
    return results
