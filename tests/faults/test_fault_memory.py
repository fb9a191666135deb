"""Memory stays bounded: a 50 MB page and a gzip bomb are cut at DOWNLOAD_MAXSIZE (10 MB), and
the crawling process's peak RSS (from wait4) stays near that of a crawl of sound pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from replica.server import Replica
from tests.faults.crawling import Finished, canonical_url, crawl, runs, stored

# Scrapy holds at most DOWNLOAD_MAXSIZE (10 MB) of a body, and a decompressed copy of as much;
# a crawl that held the whole 50 MB page or the 256 MB the bomb inflates to would pass this.
HEADROOM_MB = 40


@pytest.fixture(scope="module")
def memory_replica() -> Iterator[Replica]:
    with Replica(port=0) as running:
        yield running


@pytest.fixture(scope="module")
def baseline(memory_replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Finished:
    """Pozirk crawled with no fault: the peak RSS of an ordinary crawl on this machine (one
    outlet: a second one's pages would hide a 10 MB difference)."""
    result = crawl(memory_replica, tmp_path_factory.mktemp("base") / "a.sqlite", outlets=["pozirk"])
    assert result.returncode == 0, result.stderr[-2000:]
    return result


# (A 50 MB page that declares its length is refused at its headers: see the hostile crawl.)
@pytest.mark.parametrize(("mode", "params"), [
    ("huge", {"declare_length": False}),  # no Content-Length: read until the limit
    ("gzip_bomb", {}),
], ids=["50mb-page", "gzip-bomb"])
def test_a_huge_body_is_cut_and_memory_stays_bounded(
    memory_replica: Replica, baseline: Finished, tmp_path: Path, mode: str, params: dict[str, object]
) -> None:
    victims = memory_replica.articles("pozirk")[:2]
    memory_replica.clear_faults()
    for victim in victims:
        memory_replica.set_fault(victim.path, mode, outlet="pozirk", **params)
    db = tmp_path / "archive.sqlite"
    try:
        result = crawl(memory_replica, db, outlets=["pozirk"])
    finally:
        memory_replica.clear_faults()
    print(f"peak RSS {mode} {params}: {result.peak_rss_mb:.0f} MB "
          f"(sound crawl: {baseline.peak_rss_mb:.0f} MB)")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.peak_rss_mb < baseline.peak_rss_mb + HEADROOM_MB
    run = runs(db)["pozirk"]
    assert run["fetch_error_reasons"] == {"article too-large": 2}
    everything = {canonical_url(a) for a in memory_replica.articles("pozirk")}
    assert set(stored(db)) == everything - {canonical_url(v) for v in victims}

