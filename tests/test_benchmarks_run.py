"""Every benchmark runs, at the smallest sizes, on the code as it is: a benchmark broken by a
change (a renamed table, an outlet on a host of its own) fails here, not on the day someone
needs its figures. The figures themselves are not judged here; `benchmarks/` does that."""

from __future__ import annotations

from benchmarks.archive_scale import scale_benchmark
from benchmarks.crawl import crawl_benchmark
from benchmarks.daemon_memory import daemon_benchmark
from benchmarks.daemon_scale import daemon_scale_benchmark
from benchmarks.dedup_lookup import dedup_benchmark
from benchmarks.extraction import extraction_benchmark
from benchmarks.stages import stages_benchmark
from benchmarks.store_scale import store_benchmark
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


def test_store_cost_benchmark_writes_every_article_it_times() -> None:
    got = store_benchmark([0, 300], [300], per_round=50, rounds=1)  # raises short of 50 stored
    assert set(got["sizes"]) == {"0", "300", "300 every band"}
    assert got["sizes"]["300 every band"]["band_rows"] > got["sizes"]["300"]["band_rows"]


def test_many_outlets_daemon_benchmark_sees_every_added_article_arrive() -> None:
    # Three copies, a 6-second interval, one interval watched: raises unless every copy ran
    # and every article added while watching reached every copy.
    got = daemon_scale_benchmark(3, 1, 6)
    assert got["articles_added"] >= 2 and got["lag_max_s"] > 0 and got["runs_watched"] >= 3
