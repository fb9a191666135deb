"""Process faults: `belmon crawl` killed with SIGKILL at twenty random moments in a row; the
archive stays sound after each, and one more crawl completes the rest."""

from __future__ import annotations

import random
import signal
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from replica.corpus import ReplicaArticle
from replica.server import Replica
from replica.synthetic import scaled_corpus
from tests.conftest import belmon_command, belmon_env, query, run_belmon
from tests.faults.crawling import assert_sound, canonical_url, stored

KILLS = 20
NEW_PER_ROUND = 30  # fresh articles each round (more than one stored batch) to be killed in
SEED = 20261123


def fresh_articles(replica: Replica, round_: int) -> list[ReplicaArticle]:
    """NEW_PER_ROUND Pozirk articles with texts of their own, newer than any published yet."""
    newest = replica.articles("pozirk")[0].published
    made = [a for a in scaled_corpus(KILLS * NEW_PER_ROUND * 2) if a.outlet == "pozirk"]
    chosen = made[round_ * NEW_PER_ROUND : (round_ + 1) * NEW_PER_ROUND]
    return [replace(a, id=300_000 + a.id, published=newest + timedelta(minutes=n + 1))
            for n, a in enumerate(chosen)]


def has_schema(db: Path) -> bool:
    return db.exists() and bool(query(db, "select 1 from sqlite_master where name = 'articles'"))


def stored_count(db: Path) -> int:
    return int(query(db, "select count(*) from articles")[0][0]) if has_schema(db) else 0


def last_run_id(db: Path) -> int:
    return int(query(db, "select coalesce(max(id), 0) from crawl_runs")[0][0]) if has_schema(db) else 0


def test_twenty_kills_in_a_row_lose_nothing(replica: Replica, db: Path) -> None:
    rng = random.Random(SEED)
    # --workers 0: the pages are read in the crawling process itself, so that SIGKILL ends the
    # whole crawl (a page-reading worker outlives its killed parent: see docs/reliability.md).
    command = [*belmon_command(), "crawl", "pozirk", "--db", str(db), "--delay", "0.05",
               "--workers", "0", "--max-pages", "50", "--base-url", replica.base_urls["pozirk"]]
    landed = []
    for round_ in range(KILLS):
        for article in fresh_articles(replica, round_):
            replica.add(article)
        before, last_run = stored_count(db), last_run_id(db)
        proc = subprocess.Popen(command, env=belmon_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        moment = rng.uniform(0.3, 4.0)
        try:
            proc.wait(timeout=moment)  # the crawl may end before its moment comes
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        if db.exists():
            assert query(db, "pragma integrity_check") == [("ok",)], f"round {round_}"
        if has_schema(db):
            assert_sound(db)
        running = has_schema(db) and bool(query(
            db, "select 1 from crawl_runs where status = 'running' and id > ?", last_run))
        landed.append((round(moment, 1), "mid-run" if running else "-", stored_count(db) - before))
    print("kills (moment, where, articles the round stored):", landed)
    # Most moments fall after the run record is written (about 1 s in), some after the first
    # articles are stored (about 3 s in); the rest hit start-up or migrations.
    assert sum(where == "mid-run" for _, where, _ in landed) >= 5, "too few kills hit a crawl"

    result = run_belmon("crawl", "pozirk", "--db", str(db), "--delay", "0", "--max-pages", "50",
                        "--base-url", replica.base_urls["pozirk"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(stored(db)) == {canonical_url(a) for a in replica.articles("pozirk")}
    assert_sound(db)
    assert query(db, "select count(*) from crawl_runs where status = 'running'") == [(0,)]
