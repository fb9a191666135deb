"""Warnings from the run record, computed from plain run rows: nothing yielded, extraction drops."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from scheduler.health import HealthRules, outlet_warnings, warnings
from storage.queries import RunView

START = datetime(2026, 11, 1, tzinfo=UTC)
RULES = HealthRules()


def run(n: int, **values: Any) -> RunView:
    """Run number n (every 30 minutes), healthy unless told otherwise."""
    row: dict[str, Any] = {f.name: 0 for f in fields(RunView)}
    row.update(id=n, outlet="charter97", trigger="schedule", status="ok",
               started_at=START + timedelta(minutes=30 * n), finished_at=None,
               rejected_reasons={}, message=None, pages_fetched=6, article_pages_fetched=2,
               articles_new=2)
    row.update(values)
    return RunView(**row)


def newest_first(*runs: RunView) -> list[RunView]:
    return sorted(runs, key=lambda r: r.id, reverse=True)


def test_healthy_runs_give_no_warning() -> None:
    assert outlet_warnings("charter97", newest_first(*(run(i) for i in range(20))), RULES) == []


def test_three_failed_runs_in_a_row_warn_with_the_last_reason() -> None:
    runs = newest_first(run(0), *(run(i, status="failed", articles_new=0, pages_fetched=0,
                                      message=f"no discovery page could be fetched ({i})")
                                  for i in (1, 2, 3)))
    assert outlet_warnings("charter97", runs, RULES) == [
        "charter97: nothing from the last 3 runs (last: no discovery page could be fetched (3))"
    ]


def test_two_failures_or_a_success_between_them_do_not_warn() -> None:
    failed = {"status": "failed", "articles_new": 0, "pages_fetched": 0}
    assert outlet_warnings("charter97", newest_first(run(0), run(1, **failed), run(2, **failed)),
                           RULES) == []
    broken = newest_first(run(1, **failed), run(2, **failed), run(3), run(4, **failed))
    assert outlet_warnings("charter97", broken, RULES) == []


def test_ok_runs_that_fetched_no_page_count_as_nothing() -> None:
    runs = newest_first(*(run(i, articles_new=0, pages_fetched=0, article_pages_fetched=0)
                          for i in range(3)))
    [warning] = outlet_warnings("charter97", runs, RULES)
    assert warning.startswith("charter97: nothing from the last 3 runs (last: ok)")


def test_a_crawl_still_running_is_left_out() -> None:
    failed = {"status": "failed", "articles_new": 0, "pages_fetched": 0, "message": "boom"}
    runs = newest_first(run(1, **failed), run(2, **failed), run(3, **failed),
                        run(4, status="running", articles_new=0, pages_fetched=0))
    assert outlet_warnings("charter97", runs, RULES) == [
        "charter97: nothing from the last 3 runs (last: boom)"]


def test_a_day_without_a_new_article_warns_though_pages_were_read() -> None:
    quiet = newest_first(run(0), *(run(i, articles_new=0, article_pages_fetched=0)
                                   for i in range(1, 50)))
    assert outlet_warnings("charter97", quiet, RULES) == [
        "charter97: no new article in the last 49 runs, over 24 h (have the listings moved?)"]
    night = newest_first(run(0), *(run(i, articles_new=0, article_pages_fetched=0)
                                   for i in range(1, 20)))
    assert outlet_warnings("charter97", night, RULES) == []  # nine quiet hours: a night


def test_fallback_extraction_in_recent_runs_is_a_drop_in_health() -> None:
    def runs(fallback_runs: int) -> list[RunView]:  # the newest runs read one page of two by fallback
        return newest_first(*(run(i, article_pages_fetched=2, fallback_used=int(i >= 10 - fallback_runs))
                              for i in range(10)))

    assert outlet_warnings("charter97", runs(3), RULES) == []  # 3 of 10 pages: at the limit
    assert outlet_warnings("charter97", runs(4), RULES) == [
        "charter97: extraction health dropped over the last 5 runs: 4 of 10 article pages "
        "needed the fallback extractor (a site redesign?)"]


def test_missing_dates_and_rejections_name_their_reasons() -> None:
    runs = newest_first(*(run(i, article_pages_fetched=4, articles_new=1, no_date=3,
                              articles_rejected=2, rejected_reasons={"no-body": 2})
                          for i in range(5)))
    [warning] = outlet_warnings("charter97", runs, RULES)
    assert warning == (
        "charter97: extraction health dropped over the last 5 runs: 15 of 20 article pages had "
        "no publication date; 10 of 20 article pages were rejected (no-body 10) "
        "(a site redesign?)")


def test_too_few_article_pages_say_nothing_about_extraction() -> None:
    runs = newest_first(run(0, article_pages_fetched=1, fallback_used=1),
                        *(run(i, article_pages_fetched=0) for i in range(1, 4)))
    assert outlet_warnings("charter97", runs, RULES) == []


def test_warnings_cover_every_outlet_in_order() -> None:
    failed = {"status": "failed", "articles_new": 0, "pages_fetched": 0, "message": "down"}
    by_outlet = {
        "pozirk": newest_first(*(run(i, outlet="pozirk", **failed) for i in range(3))),
        "charter97": newest_first(*(run(i, **failed) for i in range(4))),
        "quiet": [],
    }
    assert warnings(by_outlet) == ["charter97: nothing from the last 4 runs (last: down)",
                                   "pozirk: nothing from the last 3 runs (last: down)"]


def test_rules_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError):
        HealthRules(max_bad_share=1.5)


def test_the_warning_counts_the_runs_it_really_looked_at() -> None:
    """Two runs with article pages exist: the text says two, not the window's five."""
    runs = newest_first(run(0, article_pages_fetched=0, articles_new=0),
                        *(run(i, article_pages_fetched=6, fallback_used=6) for i in (1, 2)))
    assert outlet_warnings("charter97", runs, RULES) == [
        "charter97: extraction health dropped over the last 2 runs: 12 of 12 article pages "
        "needed the fallback extractor (a site redesign?)"]


def test_pages_lost_to_errors_point_at_the_log_not_at_a_redesign() -> None:
    reasons = {"read-error: ImportError": 6}
    runs = newest_first(*(run(i, status="failed", articles_new=0, article_pages_fetched=6,
                              articles_rejected=6, rejected_reasons=reasons,
                              message="none of the 6 article pages became an article")
                          for i in range(4)))
    assert outlet_warnings("charter97", runs, RULES) == [
        "charter97: nothing from the last 4 runs (last: none of the 6 article pages became an "
        "article)",
        "charter97: extraction health dropped over the last 4 runs: 24 of 24 article pages were "
        "rejected (read-error: ImportError 24) (a bug or a broken install? the crawl log has a "
        "line per page)"]
