"""Database faults: a reader and a writer in the way, a full disk, and archives that cannot be
used (read-only, corrupt, in a missing folder): the crawl waits or fails clearly, and nothing
already stored is lost or overwritten."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from replica.server import Replica
from tests.conftest import belmon_command, belmon_env, query, run_belmon
from tests.faults.crawling import (
    assert_sound,
    canonical_url,
    crawl,
    crawl_in_child,
    run_measured,
    runs,
    stored,
)


def everything(replica: Replica, *outlets: str) -> set[str]:
    return {canonical_url(a) for o in outlets or replica.outlets for a in replica.articles(o)}


class ShellReader:
    """The plain sqlite3 shell (or, where it is not installed, Python's sqlite3 module)
    holding a read transaction open."""

    def __init__(self, db: Path) -> None:
        self.shell = shutil.which("sqlite3")
        if self.shell:
            self.proc = subprocess.Popen([self.shell, str(db)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, bufsize=1)
        else:
            self.conn = sqlite3.connect(db, isolation_level=None)
        self._say("BEGIN;")

    def count(self) -> int:
        return int(self._say("SELECT count(*) FROM articles;"))

    def commit(self) -> None:
        self._say("COMMIT;")

    def close(self) -> None:
        if self.shell:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        else:
            self.conn.close()

    def _say(self, sql: str) -> str:
        if not self.shell:
            row = self.conn.execute(sql).fetchone()
            return str(row[0]) if row else ""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(sql + "\n")
        if sql.startswith("SELECT"):
            return self.proc.stdout.readline().strip()
        return ""


def test_a_long_reader_and_a_busy_writer_do_not_stop_the_crawl(replica: Replica, db: Path) -> None:
    assert run_belmon("init", "--db", str(db)).returncode == 0
    shell = ShellReader(db)
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert shell.count() == 0
    # A writer holds the write lock for the crawl's first two seconds.
    writer = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    released: list[datetime] = []

    def release() -> None:
        writer.execute("COMMIT")
        released.append(datetime.now(UTC))

    timer = threading.Timer(2.0, release)
    timer.start()
    try:
        result = crawl(replica, db)
    finally:
        timer.join()
        writer.close()
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(stored(db)) == everything(replica)
    first_run = min(r["started_at"] for r in runs(db).values())
    assert first_run >= released[0].strftime("%Y-%m-%d %H:%M:%S"), "the crawl did not wait"
    # Both readers kept their snapshot through the whole crawl, then see everything.
    assert reader.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert shell.count() == 0
    reader.execute("COMMIT")
    shell.commit()
    assert reader.execute("SELECT count(*) FROM articles").fetchone() == (len(everything(replica)),)
    assert shell.count() == len(everything(replica))
    reader.close()
    shell.close()
    assert_sound(db)


def test_a_full_disk_fails_the_run_clearly_and_loses_nothing(replica: Replica, tmp_path: Path) -> None:
    original = tmp_path / "archive.sqlite"
    assert crawl(replica, original, outlets=["pozirk"]).returncode == 0
    kept = stored(original)
    copy = tmp_path / "copy.sqlite"
    shutil.copy(original, copy)
    pages = query(copy, "pragma page_count")[0][0]
    # Room for a few articles only: the "disk" fills up in the middle of the crawl.
    result = crawl_in_child(replica, copy, "--max-page-count", str(pages + 40), outlets=["charter97"])
    assert result.returncode == 0, result.stderr[-2000:]
    run = runs(copy)["charter97"]
    assert run["status"] == "failed"
    assert "is full (database or disk is full)" in run["message"]
    assert "Traceback" not in result.stderr
    assert "is full (database or disk is full)" in result.stderr
    assert run["articles_new"] < len(replica.articles("charter97"))
    assert_sound(copy)
    after = stored(copy)
    assert {u: r["text_hash"] for u, r in kept.items()} == {u: after[u]["text_hash"] for u in kept}
    # With room again, the next crawl completes the rest.
    assert crawl(replica, copy).returncode == 0
    assert set(stored(copy)) == everything(replica)
    assert_sound(copy)


def _drop_file_permission_override() -> None:
    """In the child: as root, lose the power to ignore file permissions (like any user)."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.fixture(scope="module")
def sound_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with both outlets in it, to break in the tests below."""
    db = tmp_path_factory.mktemp("sound") / "archive.sqlite"
    with Replica(port=0) as replica:
        assert crawl(replica, db).returncode == 0
    return db


def _read_only_file(db: Path) -> Path:
    db.chmod(0o444)
    return db


def _read_only_folder(db: Path) -> Path:
    db.chmod(0o444)
    db.parent.chmod(0o555)
    return db


def _garbage(db: Path) -> Path:
    db.write_bytes(random.Random(7).randbytes(64 * 1024))
    return db


def _missing_folder(db: Path) -> Path:
    return db.parent / "no-such-folder" / db.name


BREAKAGES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "read-only-file": (_read_only_file, "read-only"),
    "read-only-folder": (_read_only_folder, "read-only"),
    "corrupt-file": (_garbage, "not an SQLite archive"),
    "missing-folder": (_missing_folder, "directory for the archive does not exist"),
}
COMMANDS = {
    "crawl": ["crawl", "pozirk", "--delay", "0", "--base-url", "http://127.0.0.1:9"],
    "status": ["status"],
    "sql": ["sql", "SELECT count(*) FROM articles"],
}


@pytest.fixture
def broken(request: pytest.FixtureRequest, sound_archive: Path, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "archive"
    folder.mkdir()
    db = folder / sound_archive.name
    shutil.copy(sound_archive, db)
    target = BREAKAGES[request.param][0](db)
    yield target
    folder.chmod(0o755)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("broken", BREAKAGES, indirect=True)
def test_an_unusable_archive_is_one_clear_line_and_nothing_is_overwritten(
    broken: Path, command: str, request: pytest.FixtureRequest
) -> None:
    breakage = request.node.callspec.params["broken"]
    folder_before = sorted(p.name for p in broken.parent.iterdir()) if broken.parent.exists() else None
    before = broken.read_bytes() if broken.exists() else None
    result = run_measured([*belmon_command(), *COMMANDS[command], "--db", str(broken)],
                          env=belmon_env(), preexec=_drop_file_permission_override, timeout=60)
    after = broken.read_bytes() if broken.exists() else None
    assert after == before
    assert "Traceback" not in result.stderr
    if breakage == "missing-folder":
        assert not broken.parent.exists()
    if breakage == "read-only-file" and command != "crawl":
        # Reading a read-only archive is fine: an analyst's copy often is one.
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    expected = BREAKAGES[breakage][1]
    if breakage == "missing-folder" and command != "crawl":  # a reading command creates nothing
        expected = f"no archive at {broken} "
    assert expected in lines[0] or (
        breakage == "read-only-folder" and "Permission denied" in lines[0]), lines[0]
    if folder_before is not None and breakage != "read-only-file":
        assert sorted(p.name for p in broken.parent.iterdir()) in (
            folder_before, sorted([*folder_before, broken.name + ".locks"]))

