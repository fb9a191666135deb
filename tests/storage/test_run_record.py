"""The run record of a crawl process ended from outside: a planned stop is `stopped`, a time
limit or a death is `failed`; in-process, on a real archive file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.archive import Archive
from storage.queries import runs_by_id
from storage.records import RunTotals

PID = 4242


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    opened = Archive.open(str(tmp_path / "archive.sqlite"))
    opened.register_source("charter97", "Charter97", "https://charter97.org")
    yield opened
    opened.close()


def _statuses(archive: Archive, ids: list[int]) -> list[tuple[str, str | None]]:
    return [(r.status, r.message) for r in runs_by_id(archive.engine, ids)]


def _runs(archive: Archive) -> tuple[datetime, list[int]]:
    since = datetime.now(UTC) - timedelta(seconds=1)
    ids = [archive.start_run("charter97", "schedule", "http://127.0.0.1:1", PID) for _ in range(3)]
    archive.finish_run(ids[1], RunTotals("stopped", message="stopped before the end"))
    archive.finish_run(ids[2], RunTotals("failed", message="no discovery page could be fetched"))
    return since, ids


def test_a_planned_stop_records_stopped_and_keeps_the_runs_own_failures(archive: Archive) -> None:
    since, ids = _runs(archive)
    archive.settle_process_runs(PID, since, "stopped", "the daemon was shutting down")
    assert _statuses(archive, ids) == [
        ("stopped", "the daemon was shutting down"),
        ("stopped", "the daemon was shutting down; stopped before the end"),
        ("failed", "the daemon was shutting down; no discovery page could be fetched"),
    ]


def test_a_time_limit_fails_every_run_of_the_process(archive: Archive) -> None:
    since, ids = _runs(archive)
    archive.settle_process_runs(PID, since, "failed", "time limit of 3 s exceeded")
    assert [s for s, _m in _statuses(archive, ids)] == ["failed"] * 3
    # Settling twice says it once.
    archive.settle_process_runs(PID, since, "failed", "time limit of 3 s exceeded")
    assert _statuses(archive, ids)[1] == ("failed", "time limit of 3 s exceeded; stopped before the end")


def test_runs_of_other_processes_are_left_alone(archive: Archive) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    other = archive.start_run("charter97", "manual", "http://127.0.0.1:1", PID + 1)
    archive.settle_process_runs(PID, since, "stopped", "the daemon was shutting down")
    assert _statuses(archive, [other]) == [("running", None)]


def test_only_stopped_or_failed_settle_a_process(archive: Archive) -> None:
    with pytest.raises(ValueError, match="not 'ok'"):
        archive.settle_process_runs(PID, datetime.now(UTC), "ok", "fine")


def test_a_process_that_ended_by_itself_keeps_the_runs_it_recorded(archive: Archive) -> None:
    since, ids = _runs(archive)
    archive.settle_process_runs(PID, since, "failed", "exited with status 1 before finishing",
                                stopped_from_outside=False)
    assert _statuses(archive, ids) == [
        ("failed", "exited with status 1 before finishing"),
        ("stopped", "stopped before the end"),
        ("failed", "no discovery page could be fetched"),
    ]
