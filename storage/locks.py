"""Crawl locks across processes: one flock'ed file per (archive, outlet), released when its holder dies."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

import platformdirs

from storage.engine import database_url, sqlite_path


class LockBusy(BlockingIOError):
    """Another process holds the lock; `name` is the outlet (or daemon) and `pid` its holder if known."""

    def __init__(self, name: str, pid: int | None) -> None:
        holder = f"pid {pid}" if pid else "another process"
        super().__init__(f"{name} is locked by {holder}")
        self.name = name
        self.pid = pid


def sidecar_path(db: str, suffix: str) -> Path:
    """A file that belongs to the archive: beside an SQLite file, else keyed by a hash of the URL.

    The hash keeps passwords in a URL out of file names; files for a server database live in
    the user data directory, so they coordinate the processes of one user on one machine.
    """
    url = database_url(db)
    path = sqlite_path(url)
    if path is None:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
        path = Path(platformdirs.user_data_dir("belmon")) / "archives" / digest
        path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(path.name + suffix)


class FileLock:
    """An exclusive flock on one file, which also records the holder's pid.

    The kernel drops the lock when the holder's file is closed, which includes the holder
    dying by any signal, so a killed process never blocks the next one. Lock files are never
    deleted: a process holding a deleted file's lock would not exclude one that made a new file.
    """

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self._fd: int | None = None

    def acquire(self, wait: bool = False) -> None:
        """Take the lock; without `wait`, raise LockBusy if another process holds it."""
        if self._fd is not None:
            raise RuntimeError(f"lock {self.name} is already held by this object")
        self.path.parent.mkdir(exist_ok=True)  # the lock folder, never the archive's own folder
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockBusy(self.name, self.holder()) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> int | None:
        """The pid written by the process that holds (or last held) the lock, if readable."""
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def outlet_lock(db: str, outlet: str) -> FileLock:
    """The lock a process holds while it crawls `outlet` into the archive `db`."""
    return FileLock(sidecar_path(db, ".locks") / f"{outlet}.lock", outlet)


def daemon_lock(db: str) -> FileLock:
    """The lock the one daemon of the archive `db` holds while it runs."""
    return FileLock(sidecar_path(db, ".daemon.lock"), "the daemon")


def hold_outlets(
    db: str, outlets: Iterable[str], *, wait: bool, on_wait: Callable[[LockBusy], None] | None = None
) -> ExitStack:
    """Take the crawl locks of `outlets` (in name order, so two waiting crawls never deadlock).

    Without `wait`, the first busy outlet raises LockBusy and no lock is kept. The returned
    stack releases them all; the kernel does so anyway when the process ends.
    """
    def wait_for_it(lock: FileLock, busy: LockBusy) -> bool:
        if not wait:
            raise busy
        if on_wait is not None:
            on_wait(busy)
        lock.acquire(wait=True)
        return True

    stack, _held = _hold(db, outlets, wait_for_it)
    return stack


def hold_free_outlets(db: str, outlets: Iterable[str]) -> tuple[ExitStack, list[str], list[LockBusy]]:
    """Take the crawl locks of those of `outlets` that no other process holds.

    Returns the stack that releases them, the outlets held (in name order) and the busy ones.
    """
    busy: list[LockBusy] = []

    def skip_it(_lock: FileLock, taken: LockBusy) -> bool:
        busy.append(taken)
        return False

    stack, held = _hold(db, outlets, skip_it)
    return stack, held, busy


def _hold(
    db: str, outlets: Iterable[str], when_busy: Callable[[FileLock, LockBusy], bool]
) -> tuple[ExitStack, list[str]]:
    """Take each outlet's lock in name order; for a busy one `when_busy` waits for it (True),
    skips it (False) or raises. On any exception every lock taken is released."""
    stack = ExitStack()
    held: list[str] = []
    try:
        for outlet in sorted(set(outlets)):
            lock = outlet_lock(db, outlet)
            try:
                lock.acquire()
            except LockBusy as busy:
                if not when_busy(lock, busy):
                    continue
            stack.callback(lock.release)
            held.append(outlet)
    except BaseException:
        stack.close()
        raise
    return stack, held


def pid_alive(pid: int) -> bool:
    """True while a process with this id exists on this machine (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
