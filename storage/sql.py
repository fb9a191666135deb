"""Read-only SQL for `belmon sql`: anything that would write is refused before it runs."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

# Pragmas that only report. Those in the first set take a table or index name;
# the others are refused when given a value, since a value means a write.
_NAMED_PRAGMAS = frozenset(
    [
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "integrity_check",
        "quick_check",
        "foreign_key_check",
    ]
)
_READING_PRAGMAS = _NAMED_PRAGMAS | frozenset(
    [
        "user_version",
        "schema_version",
        "page_count",
        "page_size",
        "freelist_count",
        "journal_mode",
        "compile_options",
        "function_list",
        "pragma_list",
        "collation_list",
        "encoding",
        "data_version",
    ]
)
_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
_ACTION_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name
    for name in [
        "CREATE_INDEX",
        "CREATE_TABLE",
        "CREATE_TEMP_INDEX",
        "CREATE_TEMP_TABLE",
        "CREATE_TEMP_TRIGGER",
        "CREATE_TEMP_VIEW",
        "CREATE_TRIGGER",
        "CREATE_VIEW",
        "DELETE",
        "DROP_INDEX",
        "DROP_TABLE",
        "DROP_TEMP_INDEX",
        "DROP_TEMP_TABLE",
        "DROP_TEMP_TRIGGER",
        "DROP_TEMP_VIEW",
        "DROP_TRIGGER",
        "DROP_VIEW",
        "INSERT",
        "PRAGMA",
        "TRANSACTION",
        "UPDATE",
        "ATTACH",
        "DETACH",
        "ALTER_TABLE",
        "REINDEX",
        "ANALYZE",
        "CREATE_VTABLE",
        "DROP_VTABLE",
        "SAVEPOINT",
    ]
}


class QueryError(ValueError):
    """A query that cannot run; the message is one line for the user."""


DEFAULT_TIME_LIMIT = 30.0  # seconds; a runaway query must not hold the archive for ever
_PROGRESS_STEPS = 10_000  # SQLite virtual-machine steps between two looks at the clock


def run_query(
    engine: Engine, sql: str, time_limit: float | None = DEFAULT_TIME_LIMIT
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement; returns column names and rows.

    The statement is stopped once it has run `time_limit` seconds (None: no limit).
    """
    if engine.dialect.name != "sqlite":  # pragma: no cover - PostgreSQL path
        raise QueryError("belmon sql supports SQLite archives; use your database's own client")
    if not _without_comments(sql).strip(" \t\r\n;"):
        raise QueryError("no SQL statement given")
    with _guarded(engine) as (conn, refused), _time_limit(conn, time_limit) as timed_out:
        try:
            cursor = conn.execute(sql)
            rows = cursor.fetchall()
        except sqlite3.ProgrammingError as exc:
            raise QueryError(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            if timed_out():
                raise QueryError(f"the query was stopped after {time_limit:g} s "
                                 "(--time-limit sets the limit)") from None
            if refused:
                raise QueryError(f"belmon sql is read-only: {_statement_name(sql, refused[0])} "
                                 "is not allowed") from None
            raise QueryError(f"SQL error: {exc}") from None
        columns = [d[0] for d in cursor.description or ()]
    return columns, rows


@contextmanager
def _time_limit(conn: sqlite3.Connection, seconds: float | None) -> Iterator[Callable[[], bool]]:
    """Abort the running statement once `seconds` have passed; yields 'did it time out?'."""
    if seconds is None:
        yield lambda: False
        return
    deadline = time.monotonic() + seconds
    fired: list[bool] = []

    def check() -> int:
        if time.monotonic() > deadline:
            fired.append(True)
            return 1  # non-zero: SQLite interrupts the statement
        return 0

    conn.set_progress_handler(check, _PROGRESS_STEPS)
    try:
        yield lambda: bool(fired)
    finally:
        conn.set_progress_handler(None, 0)


_COMMENTS = re.compile(r"--[^\n]*|/\*.*?(\*/|$)", re.DOTALL)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def _without_comments(sql: str) -> str:
    return _COMMENTS.sub(" ", sql)


def _statement_name(sql: str, refused_action: str) -> str:
    """What the user wrote (DROP, VACUUM, INSERT, ...), not the first action SQLite refused on
    the way (a DROP TABLE first deletes from the schema table): the statement's first word,
    or the refused action when the statement starts with WITH or EXPLAIN."""
    found = _FIRST_WORD.search(_without_comments(sql))
    word = found.group(0).upper() if found else ""
    if not word or word in ("WITH", "EXPLAIN", "SELECT", "VALUES"):
        return refused_action
    if word == "PRAGMA" or refused_action.startswith("PRAGMA"):
        return refused_action
    return word


@contextmanager
def _guarded(engine: Engine) -> Iterator[tuple[sqlite3.Connection, list[str]]]:
    refused: list[str] = []

    def authorize(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
        if action in _ALLOWED:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and _reads_only(arg1 or "", arg2):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            # FTS5 asks this when a connection first opens the full-text index; the schema
            # table cannot be written anyway (query_only is on, writable_schema off).
            return sqlite3.SQLITE_OK
        name = _ACTION_NAMES.get(action, str(action))
        refused.append(f"PRAGMA {arg1}" if action == sqlite3.SQLITE_PRAGMA else name)
        return sqlite3.SQLITE_DENY

    raw = engine.raw_connection()
    try:
        conn: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        conn.execute("PRAGMA query_only = ON")
        conn.set_authorizer(authorize)
        try:
            yield conn, refused
        finally:
            conn.set_authorizer(None)
            conn.execute("PRAGMA query_only = OFF")
    finally:
        raw.close()


def _reads_only(pragma: str, value: str | None) -> bool:
    pragma = pragma.lower()
    return pragma in _NAMED_PRAGMAS or (value is None and pragma in _READING_PRAGMAS)
