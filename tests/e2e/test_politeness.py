"""Politeness per host, not per outlet: outlets that share a host (here the replica's
127.0.0.1, as a mirror serving several outlets would) share its one delay, so more outlets
never means more load on that host."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from replica.server import Replica
from tests.conftest import base_url_args, query, run_belmon

DELAY = 0.2
# The gate spaces requests as they leave; the server stamps them as they arrive, a few
# (on a loaded machine, tens of) milliseconds later and not always by the same amount.
JITTER = 0.08


def test_outlets_on_one_host_share_its_delay(replica: Replica, db: Path) -> None:
    outlets = sorted({key.split(".")[0] for key in replica.base_urls})
    assert len(outlets) >= 2  # several outlets, every one of them served from 127.0.0.1
    result = run_belmon("crawl", "--db", str(db), "--delay", str(DELAY), "--max-pages", "1",
                        *base_url_args(replica), timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]

    log = replica.timed_request_log
    served = {outlet for _at, outlet, _path in log}
    assert len({o.split(".")[0] for o in served}) == len(outlets)  # each outlet was crawled
    times = sorted(at for at, _outlet, _path in log)
    gaps = [b - a for a, b in pairwise(times)]
    # Scrapy alone would keep each outlet's crawler to the delay, and let them overlap.
    assert min(gaps) >= DELAY - JITTER, sorted(gaps)[:5]
    assert sorted(gaps)[len(gaps) // 2] >= DELAY * 0.95, sorted(gaps)
    assert query(db, "select count(*) from articles")[0][0] > 0
