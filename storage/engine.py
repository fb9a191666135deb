"""Engine set-up: database URLs, and the SQLite connection settings applied to every connection."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, ExceptionContext, make_url

BUSY_TIMEOUT_MS = 30_000
# SQLite result codes that mean the file or the disk is at fault, not the SQL: what to tell.
_FILE_TROUBLE = {
    3: "permission denied",
    8: "the archive (or its folder) is read-only",
    10: "the disk failed to read or write",
    11: "the archive file is damaged",
    13: "the disk (or the archive's size limit) is full",
    14: "the archive file cannot be opened",
    23: "permission denied",
    26: "this file is not an SQLite archive",
}
# Readers pass this execution option so that their transaction does not take the write lock.
READ_ONLY = "belmon_read_only"


class ArchiveError(RuntimeError):
    """The archive cannot be opened or written; the message says which and why."""


def database_url(db: str | Path) -> str:
    """An SQLAlchemy URL from a plain file path or a URL.

    An SQLite archive's folder must exist: belmon never creates a folder the user named (a
    typo would otherwise start a new, empty archive), and says so before anything is written.
    """
    url = as_url(db)
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise ArchiveError(f"directory for the archive does not exist: {path.parent}")
    return url


def as_url(db: str | Path) -> str:
    """A plain file path as an SQLite URL (absolute); a URL as it is. Checks nothing."""
    text = str(db)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_archive_engine(url: str) -> Engine:
    """One engine per process; on SQLite every connection gets WAL, foreign keys and a busy timeout."""
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise ArchiveError(f"directory for the archive does not exist: {path.parent}")
    if path is None:
        return create_engine(url, json_serializer=readable_json)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                           json_serializer=readable_json)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    event.listen(engine, "handle_error", partial(_sqlite_on_error, path))
    return engine


def readable_json(value: Any) -> str:
    """JSON columns keep their letters (Кітай, not \\u041a...), so SQL readers see the words."""
    return json.dumps(value, ensure_ascii=False)


def _sqlite_on_error(path: Path, context: ExceptionContext) -> ArchiveError | None:
    # A full disk, a read-only or damaged file reaches the user as one clear line (the CLI
    # prints ArchiveError without a traceback), and stops a crawl instead of failing every
    # article alike. Errors in the SQL itself stay SQLAlchemy's.
    error = context.original_exception
    earlier = _archive_error_in(error.__context__)
    if earlier is not None:
        # Cleaning up after it failed too: on SQLITE_FULL, SQLite has already rolled the
        # transaction back, so "ROLLBACK TO SAVEPOINT" finds no savepoint. The first error
        # is the one that says what is wrong.
        return earlier
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int) or (code & 0xFF) not in _FILE_TROUBLE:
        return None
    return ArchiveError(f"{path}: {_FILE_TROUBLE[code & 0xFF]} ({error})")


def _archive_error_in(error: BaseException | None) -> ArchiveError | None:
    for _ in range(8):  # an exception's context chain, not far
        if error is None or isinstance(error, ArchiveError):
            return error
        error = error.__context__
    return None


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (the pysqlite driver's own
    # transaction handling would defer it and upgrade locks mid-transaction).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # Writers take the write lock at BEGIN, so two writers queue on the busy
    # timeout instead of failing with "database is locked" halfway through.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
