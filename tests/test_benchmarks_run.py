"""Every benchmark runs, at the smallest sizes, on the code as it is: a benchmark broken by a
change (a renamed table, an outlet on a host of its own) fails here, not on the day someone
needs its figures. The figures themselves are not judged here; `benchmarks/` does that."""

from __future__ import annotations

from benchmarks.archive_scale import scale_benchmark
from benchmarks.crawl import crawl_benchmark
from benchmarks.daemon_memory import daemon_benchmark
from benchmarks.dedup_lookup import dedup_benchmark
from benchmarks.extraction import extraction_benchmark
from benchmarks.stages import stages_benchmark
from replica.corpus import load_corpus


def test_crawl_benchmark_fetches_what_it_reports() -> None:
    got = crawl_benchmark(40, 1, 5)  # raises unless every page was served and every article stored
    assert got["articles"] == 40 and got["pages"] > 40
    assert got["full_pages_per_s"] > 0 and got["bare_pages_per_s"] > 0


def test_extraction_benchmark_reads_every_replica_article() -> None:
    got = extraction_benchmark(1)
    assert got["pages"] == len(load_corpus())
    assert got["belmon"]["accuracy"]["body_exact"] == 1.0


def test_stage_dedup_scale_and_daemon_benchmarks_run() -> None:
    assert stages_benchmark(20, 1)["store_us"] > 0
    assert dedup_benchmark([500])["500"]["near_duplicate_ms"] > 0
    assert scale_benchmark(500, [100])["rematch_ok"]
    assert daemon_benchmark(2)["runs"] >= 2
