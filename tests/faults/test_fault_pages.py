"""The hostile crawl, page by page: each broken page is counted under its reason (or, when
it can be read, stored intact), and everything else is stored exactly once."""

from __future__ import annotations

import pytest

from tests.faults.conftest import CASES, LOST, Case, HostileCrawl, expected_counts
from tests.faults.crawling import assert_sound, canonical_url, runs, stored


def by_id(name: str) -> Case:
    return next(c for c in CASES if c.id == name)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_broken_page_is_counted_under_its_reason_or_stored_intact(
    hostile: HostileCrawl, case: Case
) -> None:
    run = runs(hostile.db)[case.outlet]
    articles = stored(hostile.db)
    assert len(hostile.requests(case)) == case.attempts, hostile.requests(case)
    assert hostile.hits(case), "the fault never fired"
    if case.outcome == "stored":
        truth = hostile.article(case)
        row = articles[canonical_url(truth)]
        assert row["title"] == truth.title
        assert [*filter(None, [row["lead"]]), *row["body"].split("\n\n")] == [truth.lead, *truth.body]
        if case.id != "malformed-html":  # there, an unclosed <p> hides which paragraph leads
            assert row["lead"] == truth.lead
        return
    if isinstance(case.target, int):
        assert canonical_url(hostile.article(case)) not in articles
    if case.outcome == "rejected":
        assert run["rejected_reasons"].get(case.reason, 0) >= 1, run["rejected_reasons"]
    else:
        kind = "feed" if isinstance(case.target, str) else "article"
        assert run["fetch_error_reasons"].get(f"{kind} {case.reason}", 0) >= 1, run["message"]
        url = hostile.base_urls[case.outlet] + hostile.path(case)
        assert f"could not fetch {url} ({case.reason})" in hostile.result.stderr


def test_the_crawl_finishes_and_its_run_records_name_every_loss(hostile: HostileCrawl) -> None:
    assert hostile.result.returncode == 0, hostile.result.stderr[-3000:]
    for outlet, run in runs(hostile.db).items():
        rejected = expected_counts(outlet, "rejected")
        errors = expected_counts(outlet, "fetch-error")
        assert run["status"] == "partial"
        assert run["rejected_reasons"] == dict(rejected)
        assert run["articles_rejected"] == sum(rejected.values())
        assert run["fetch_error_reasons"] == dict(errors)
        assert run["fetch_errors"] == sum(errors.values())


def test_everything_else_is_stored_exactly_once(hostile: HostileCrawl) -> None:
    lost = {canonical_url(hostile.article(c)) for c in LOST}
    everything = {canonical_url(a) for outlet in hostile.articles.values() for a in outlet}
    assert set(stored(hostile.db)) == everything - lost
    new = {outlet: run["articles_new"] for outlet, run in runs(hostile.db).items()}
    assert new == {o: len(a) - sum(c.outlet == o for c in LOST)
                   for o, a in hostile.articles.items()}
    assert_sound(hostile.db)


def test_a_page_without_a_date_is_stored_and_counted(hostile: HostileCrawl) -> None:
    truth = hostile.article(by_id("no-date"))
    assert stored(hostile.db)[canonical_url(truth)]["published_at"] is None
    assert runs(hostile.db)["charter97"]["no_date"] == 1


@pytest.mark.parametrize("name", ["http-503-retry-after", "http-429-retry-after", "http-503-once"])
def test_retry_after_is_waited_for(hostile: HostileCrawl, name: str) -> None:
    times = hostile.request_times(by_id(name))
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == by_id(name).attempts - 1 and all(g >= 0.95 for g in gaps), gaps


@pytest.mark.parametrize("name", ["http-500", "reset-mid-body"])
def test_retries_back_off(hostile: HostileCrawl, name: str) -> None:
    times = hostile.request_times(by_id(name))
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 2 and gaps[0] >= 0.45 and gaps[1] >= 0.95, gaps


def test_a_retry_after_beyond_the_cap_is_not_waited_for(hostile: HostileCrawl) -> None:
    # Retry-After: 3600 is counted at once; the whole crawl, slow drips included, is quick.
    assert len(hostile.hits(by_id("http-503-retry-after-too-long"))) == 1
    assert hostile.result.seconds < 60
