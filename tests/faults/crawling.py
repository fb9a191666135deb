"""Helpers for the fault tests: crawls in child processes (with their peak memory), the run
records and articles they left, and a kernel watch on files nobody may open."""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replica.corpus import ReplicaArticle
from replica.houses import public_url
from replica.server import Replica
from tests.conftest import belmon_command, belmon_env, query

CHILD = Path(__file__).with_name("crawl_child.py")
# Short limits so that a timeout costs seconds, not minutes.
FAST = ("--delay", "0", "--timeout", "1", "--max-pages", "50")


@dataclass(frozen=True)
class Finished:
    """A child process that ended: how, what it printed, and its peak memory."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


def canonical_url(article: ReplicaArticle) -> str:
    return public_url(article)


def base_urls(replica: Replica, outlets: Sequence[str] = ()) -> list[str]:
    """--base-url arguments for the chosen outlets (all: none chosen), editions' hosts too."""
    return [a for key, url in _hosts(replica, outlets).items() for a in ("--base-url", f"{key}={url}")]


def _hosts(replica: Replica, outlets: Sequence[str]) -> dict[str, str]:
    return {k: u for o in (outlets or replica.outlets) for k, u in replica.hosts_of(o).items()}


def run_measured(command: Sequence[str], *, timeout: float = 120, env: dict[str, str] | None = None,
                 preexec: Any = None) -> Finished:
    """Run a command to its end; its peak RSS comes from wait4, as the kernel counted it."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env or belmon_env(), preexec_fn=preexec)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.kill(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                raise TimeoutError(f"{command[:3]} still running after {timeout} s")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(proc.returncode, out.read(), err.read(), usage.ru_maxrss / 1024,
                        time.monotonic() - started)


def belmon(*args: str, timeout: float = 120) -> Finished:
    return run_measured([*belmon_command(), *args], timeout=timeout)


def crawl(replica: Replica, db: Path, *extra: str, outlets: Sequence[str] = (),
          timeout: float = 120) -> Finished:
    """`belmon crawl` of the replica in a subprocess, with short timeouts and no delay."""
    return belmon("--log-level", "DEBUG", "crawl", *outlets, "--db", str(db), *FAST,
                  *base_urls(replica, outlets), *extra, timeout=timeout)


def crawl_in_child(replica: Replica, db: Path, *extra: str, outlets: Sequence[str] = ()) -> Finished:
    """crawler.run.run_crawl in a fresh interpreter (tests/faults/crawl_child.py), where a test
    can reach inside the process (a size limit on the archive, say)."""
    urls = [f"{key}={url}" for key, url in _hosts(replica, outlets).items()]
    return run_measured([sys.executable, str(CHILD), "--db", str(db), *extra, *urls])


def runs(db: Path) -> dict[str, dict[str, Any]]:
    """The last run of each outlet, as plain data (rejected_reasons decoded)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("select * from crawl_runs order by id").fetchall()
    finally:
        conn.close()
    found = {}
    for row in rows:
        record = dict(row)
        record["rejected_reasons"] = json.loads(record["rejected_reasons"] or "{}")
        record["fetch_error_reasons"] = fetch_error_counts(record["message"])
        found[record["outlet"]] = record
    return found


def fetch_error_counts(message: str | None) -> dict[str, int]:
    """{"article http-503": 1, ...} from a run message "...fetch errors: article http-503 1"."""
    if not message or "fetch errors: " not in message:
        return {}
    listed = message.split("fetch errors: ", 1)[1]
    return {m[1]: int(m[2]) for m in re.finditer(r"([a-z]+ [\w.-]+) (\d+)(?:, |$)", listed)}


def stored(db: Path) -> dict[str, dict[str, Any]]:
    """Every stored article by canonical URL."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {r["url"]: dict(r) for r in conn.execute("select * from articles")}
    finally:
        conn.close()


def archive_bytes(db: Path) -> bytes:
    """The archive file and its write-ahead log, as they lie on disk."""
    return b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())


def assert_sound(db: Path) -> None:
    """The archive is consistent and holds no duplicate and no half-written article."""
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "pragma foreign_key_check") == []
    assert query(db, "select url from articles group by url having count(*) > 1") == []
    assert query(db, "select url from article_urls group by url having count(*) > 1") == []
    half = query(db, "select a.url from articles a left join stories s on s.id = a.story_id "
                     "where coalesce(a.title, '') = '' or coalesce(a.body, '') = '' "
                     "or coalesce(a.text_hash, '') = '' or a.fetched_at is null or s.id is null "
                     "or not exists (select 1 from article_urls u where u.url = a.url "
                     "and u.article_id = a.id and u.kind = 'canonical')")
    assert half == []


def paths_requested(replica: Replica, outlet: str) -> list[str]:
    return [path for o, path in replica.request_log if o == outlet]


class OpenWatch:
    """Every open or read of some files, by any process, as the kernel reports it (inotify)."""

    IN_ACCESS, IN_OPEN = 0x1, 0x20

    def __init__(self, paths: Iterable[Path]) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        for path in paths:
            if self._libc.inotify_add_watch(self._fd, os.fsencode(path),
                                            self.IN_ACCESS | self.IN_OPEN) < 0:
                raise OSError(ctypes.get_errno(), f"cannot watch {path}")

    def events(self) -> int:
        """How many opens and reads happened since the last call."""
        count = 0
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return count
            offset = 0
            while offset < len(data):
                _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                offset += 16 + length
                count += 1

    def close(self) -> None:
        os.close(self._fd)
