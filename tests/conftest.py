"""Shared fixtures: the offline guard, a running replica, and the `belmon` command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

GUARD_DIR = Path(__file__).parent / "netguard"
sys.path.insert(0, str(GUARD_DIR))
import sitecustomize  # noqa: E402,F401  (installs the loopback-only guard in this process)

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
