"""Crawl locks between real processes: a holder excludes others, and a killed holder releases."""

from __future__ import annotations

import select
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.locks import LockBusy, hold_outlets, outlet_lock, sidecar_path
from tests.conftest import belmon_env

HOLDER = """
import sys
from storage.locks import hold_outlets
with hold_outlets(sys.argv[1], sys.argv[2:], wait=False):
    print("held", flush=True)
    sys.stdin.readline()  # hold until told (or killed)
"""


def _holder(db: Path, *outlets: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), *outlets], env=belmon_env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    assert ready and proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def holders() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        proc.kill()
        proc.wait(timeout=10)


def test_a_held_outlet_is_busy_and_names_its_holder(
    db: Path, holders: list[subprocess.Popen[str]]
) -> None:
    holders.append(holder := _holder(db, "charter97"))
    with pytest.raises(LockBusy) as busy:
        outlet_lock(str(db), "charter97").acquire()
    assert busy.value.name == "charter97"
    assert busy.value.pid == holder.pid
    assert str(busy.value) == f"charter97 is locked by pid {holder.pid}"
    with outlet_lock(str(db), "pozirk") as other:  # another outlet is free meanwhile
        assert other.held


def test_a_killed_holder_releases_its_lock(db: Path, holders: list[subprocess.Popen[str]]) -> None:
    holders.append(holder := _holder(db, "charter97"))
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    lock = outlet_lock(str(db), "charter97")
    lock.acquire()
    assert lock.held
    lock.release()


def test_waiting_takes_the_lock_when_the_holder_lets_go(
    db: Path, holders: list[subprocess.Popen[str]]
) -> None:
    holders.append(holder := _holder(db, "charter97"))
    lock = outlet_lock(str(db), "charter97")
    waiter = threading.Thread(target=lock.acquire, kwargs={"wait": True}, daemon=True)
    waiter.start()
    waiter.join(timeout=0.3)
    assert waiter.is_alive() and not lock.held  # still waiting: the holder has it
    assert holder.stdin is not None
    holder.stdin.write("go\n")
    holder.stdin.flush()
    waiter.join(timeout=30)
    assert not waiter.is_alive() and lock.held
    lock.release()


def test_a_busy_outlet_leaves_no_other_lock_taken(
    db: Path, holders: list[subprocess.Popen[str]]
) -> None:
    holders.append(_holder(db, "pozirk"))
    with pytest.raises(LockBusy, match="pozirk"):
        hold_outlets(str(db), ["charter97", "pozirk"], wait=False)
    with outlet_lock(str(db), "charter97") as lock:  # charter97 was taken, then given back
        assert lock.held


def test_two_holders_of_several_outlets_exclude_each_other(
    db: Path, holders: list[subprocess.Popen[str]]
) -> None:
    holders.append(_holder(db, "charter97", "pozirk"))
    for outlet in ("charter97", "pozirk"):
        with pytest.raises(LockBusy):
            outlet_lock(str(db), outlet).acquire()


def test_lock_files_sit_beside_an_sqlite_archive_or_under_a_hash_of_a_server_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "archive.sqlite"
    assert outlet_lock(str(db), "charter97").path == tmp_path / "archive.sqlite.locks" / "charter97.lock"
    url = "postgresql://belmon:secret@db.example/belmon"
    path = sidecar_path(url, ".locks")
    assert path.parent == tmp_path / "data" / "belmon" / "archives"
    assert "secret" not in str(path) and path.name.endswith(".locks")
    assert sidecar_path(url, ".locks") == path
    assert sidecar_path(url + "2", ".locks") != path
