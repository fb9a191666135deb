"""A crawl whose pages all fail to read says so: every page under a reason, one log line each,
a failed run, and a warning in `belmon status` (reproduces the broken-install report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replica.corpus import load_corpus
from replica.server import Replica
from tests.conftest import query, run_belmon

BROKEN_INSTALL = Path(__file__).resolve().parents[1] / "fixtures" / "broken_install"
CHARTER97 = [a for a in load_corpus() if a.outlet == "charter97"]


@pytest.fixture
def redesigned(tmp_path: Path) -> Path:
    """A sources override whose paragraph selector finds nothing, as after a site redesign."""
    path = tmp_path / "redesign.toml"
    path.write_text('[charter97.extract]\nparagraphs = "p.gone-since-the-redesign"\n',
                    encoding="utf-8")
    return path


def _crawl(replica: Replica, db: Path, sources: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_belmon(
        "crawl", "charter97", "--db", str(db), "--delay", "0", "--max-pages", "50",
        "--sources", str(sources), "--base-url", f"charter97={replica.base_urls['charter97']}",
        *extra, PYTHONPATH=str(BROKEN_INSTALL),
    )


def test_pages_that_raise_are_counted_logged_once_and_fail_the_run(
    replica: Replica, db: Path, redesigned: Path
) -> None:
    outcomes = [_crawl(replica, db, redesigned), _crawl(replica, db, redesigned, "--workers", "0"),
                _crawl(replica, db, redesigned)]
    pages = len(CHARTER97)
    for result in outcomes:
        assert result.returncode == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        lines = [line for line in result.stderr.splitlines()
                 if "rejected http" in line and "(read-error: ImportError)" in line]
        assert len(lines) == pages  # one line per page, each naming its URL
        assert len({line.split()[4] for line in lines}) == pages
        assert result.stderr.rstrip().endswith(
            f"Error: charter97: none of the {pages} article pages became an article; "
            f"rejected: read-error: ImportError {pages}")
        assert len(result.stderr) < 200 * pages + 5000  # never a page dumped into the log
        assert not any(p in result.stderr for a in CHARTER97 for p in a.body[:1])
    runs = query(db, "select status, article_pages_fetched, articles_new, articles_rejected, "
                     "rejected_reasons, message from crawl_runs order by id")
    assert len(runs) == 3
    for status, fetched, new, rejected, reasons, message in runs:
        assert (status, fetched, new, rejected) == ("failed", pages, 0, pages)
        assert json.loads(str(reasons)) == {"read-error: ImportError": pages}
        assert f"none of the {pages} article pages became an article" in str(message)
    assert query(db, "select count(*) from articles") == [(0,)]

    status = run_belmon("status", "--db", str(db))
    assert status.returncode == 0, status.stderr
    warnings = status.stdout.split("warnings:", 1)[1]
    assert "charter97: nothing from the last 3 runs" in warnings
    assert (f"charter97: extraction health dropped over the last 3 runs: {3 * pages} of {3 * pages} "
            f"article pages were rejected (read-error: ImportError {3 * pages}) (a bug or a "
            "broken install?") in " ".join(warnings.split())


def test_the_same_crawl_with_a_sound_install_reads_every_page(
    replica: Replica, db: Path, redesigned: Path
) -> None:
    """The control: only the broken install made the pages fail (the fallback reads them)."""
    result = run_belmon(
        "crawl", "charter97", "--db", str(db), "--delay", "0", "--max-pages", "50",
        "--sources", str(redesigned), "--base-url", f"charter97={replica.base_urls['charter97']}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert query(db, "select status, articles_new, fallback_used from crawl_runs") == [
        ("ok", len(CHARTER97), len(CHARTER97))]
