"""The run record's status from a closed spider's stats: a run that read nothing is a failure."""

from __future__ import annotations

from crawler.recorder import run_totals

DISCOVERY = {"belmon/discovery_pages": 3}


def test_a_run_whose_article_pages_all_failed_is_failed_and_names_the_reasons() -> None:
    stats = {**DISCOVERY, "belmon/article_pages": 4, "belmon/rejected/read-error: ImportError": 3,
             "belmon/rejected/no-title": 1}
    totals = run_totals(stats, "finished")
    assert (totals.status, totals.articles_rejected) == ("failed", 4)
    assert totals.rejected_reasons == {"read-error: ImportError": 3, "no-title": 1}
    assert totals.message == ("none of the 4 article pages became an article; rejected: "
                              "no-title 1, read-error: ImportError 3")


def test_article_pages_that_could_not_be_fetched_count_as_failed_pages_too() -> None:
    stats = {**DISCOVERY, "belmon/fetch_errors/article http-503": 5}
    totals = run_totals(stats, "finished")
    assert totals.status == "failed"
    assert totals.message == ("none of the 5 article pages became an article; fetch errors: "
                              "article http-503 5")


def test_one_page_read_is_enough_for_a_partial_run() -> None:
    stats = {**DISCOVERY, "belmon/article_pages": 4, "belmon/new": 1,
             "belmon/rejected/read-error: KeyError": 3}
    assert run_totals(stats, "finished").status == "partial"


def test_known_articles_and_copies_count_as_pages_that_became_articles() -> None:
    stats = {**DISCOVERY, "belmon/article_pages": 2, "belmon/duplicate": 2}
    assert run_totals(stats, "finished").status == "ok"


def test_a_run_with_nothing_new_to_fetch_is_ok() -> None:
    assert run_totals({**DISCOVERY, "belmon/skipped_known": 9}, "finished").status == "ok"


def test_a_batch_that_failed_at_the_close_names_why() -> None:
    # The last batch is written as the spider closes: the run finished, the write did not.
    stats = {**DISCOVERY, "belmon/article_pages": 4, "belmon/new": 3, "belmon/archive_errors": 1,
             "belmon/archive_error": "the disk (or the archive's size limit) is full "
                                     "(database or disk is full)"}
    totals = run_totals(stats, "finished")
    assert totals.status == "failed"
    assert totals.message == ("1 batch(es) could not be written to the archive: the disk (or "
                              "the archive's size limit) is full (database or disk is full)")
