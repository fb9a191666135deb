"""Shared fixtures: the offline guard, a running replica, and the `belmon` command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

GUARD_DIR = Path(__file__).parent / "netguard"
sys.path.insert(0, str(GUARD_DIR))
import sitecustomize  # noqa: E402,F401  (installs the loopback-only guard in this process)

from crawler.sources import Source  # noqa: E402
from replica.server import Replica  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"


def belmon_env(**extra: str) -> dict[str, str]:
    """Environment for a `belmon` subprocess: guarded, quiet, isolated from the user's files."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD_DIR), env.get("PYTHONPATH")]))
    env.pop("BELMON_DB", None)
    env.pop("BELMON_SOURCES", None)
    env.update(extra)
    return env


def belmon_command() -> list[str]:
    script = Path(sys.executable).with_name("belmon")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scheduler"]


def run_belmon(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*belmon_command(), *args], capture_output=True, text=True, timeout=timeout,
        env=belmon_env(**env), stdin=subprocess.DEVNULL,
    )


def replica_source(replica: Replica, source: Source) -> Source:
    """`source` fetched from the replica: its own host and its editions' ("belta.be")."""
    return source.with_base_urls(replica.edition_urls(source.id))


def base_url_args(replica: Replica) -> list[str]:
    return [arg for sid, url in replica.base_urls.items() for arg in ("--base-url", f"{sid}={url}")]


def query(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Read the archive with the plain sqlite3 module, as an analyst would."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def replica() -> Iterator[Replica]:
    with Replica(port=0) as running:
        yield running


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "archive.sqlite"


@dataclass(frozen=True)
class CorpusCrawl:
    """One complete `belmon crawl` of the replica's packaged corpus, done once per session."""

    db: Path  # never written after the crawl: tests get copies (`crawled_db`)
    stdout: str
    replica: Replica  # the replica it crawled, still serving; tests must not change it


@pytest.fixture(scope="session")
def corpus_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusCrawl]:
    db = tmp_path_factory.mktemp("corpus") / "archive.sqlite"
    with Replica(port=0) as replica:
        result = run_belmon("crawl", "--db", str(db), "--delay", "0", "--max-pages", "50",
                            *base_url_args(replica))
        assert result.returncode == 0, result.stderr[-2000:]
        yield CorpusCrawl(db, result.stdout, replica)


def copy_archive(source: Path, target: Path) -> Path:
    """A consistent copy of an SQLite archive (its WAL included), with SQLite's backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


@pytest.fixture
def crawled_db(corpus_crawl: CorpusCrawl, db: Path) -> Path:
    """The `db` path already holding one complete crawl of the corpus (runs 1 and 2), as any
    fresh replica serves it: a test crawls on from there instead of crawling it again."""
    return copy_archive(corpus_crawl.db, db)
