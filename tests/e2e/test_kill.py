"""A crawl killed with SIGKILL mid-way leaves a sound archive, and the next crawl completes it."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from replica.corpus import load_corpus
from replica.server import Replica
from tests.conftest import base_url_args, belmon_command, belmon_env, query, run_belmon


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return int(query(db, "select count(*) from articles")[0][0])
    except Exception:  # the schema may not exist yet
        return 0


def test_sigkill_mid_crawl_loses_nothing_and_next_crawl_completes(
    replica: Replica, db: Path
) -> None:
    total = len(load_corpus())
    # A small delay stretches the crawl so that the kill lands in the middle of it.
    proc = subprocess.Popen(
        [*belmon_command(), "crawl", "--db", str(db), "--delay", "0.15", "--max-pages", "50",
         *base_url_args(replica)],
        env=belmon_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _count(db) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    stored = _count(db)
    assert 0 < stored < total, "the kill should land mid-crawl"

    assert query(db, "pragma integrity_check") == [("ok",)]
    half = query(db, "select count(*) from articles where title = '' or body = '' "
                     "or text_hash = '' or fetched_at is null")
    assert half == [(0,)]
    assert query(db, "select count(*) from crawl_runs where status = 'running'")[0][0] >= 1

    result = run_belmon("crawl", "--db", str(db), "--delay", "0", "--max-pages", "50",
                        *base_url_args(replica))
    assert result.returncode == 0, result.stderr[-2000:]
    assert _count(db) == total
    assert query(db, "select count(*) from (select url from articles group by url "
                     "having count(*) > 1)") == [(0,)]
    statuses = query(db, "select status, message from crawl_runs order by id")
    assert statuses[0][0] == "failed" and "interrupted" in statuses[0][1]
    assert query(db, "select count(*) from crawl_runs where status = 'running'") == [(0,)]
