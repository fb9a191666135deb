"""Full-text search over articles: an SQLite FTS5 index kept in step by triggers.

FTS5 is SQLite's; these functions are the only place that knows it, so another
database can supply its own index behind the same names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Connection, Engine, text

FTS_TABLE = "articles_fts"
_COLUMNS = ("title", "lead", "body", "stems")

_CREATE = f"""
CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
    title, lead, body, stems,
    content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
)"""


def _values(prefix: str) -> str:
    return ", ".join(f"{prefix}.{c}" for c in _COLUMNS)


_TRIGGERS = (
    f"""CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO {FTS_TABLE} (rowid, {", ".join(_COLUMNS)}) VALUES (new.id, {_values("new")});
END""",
    f"""CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {", ".join(_COLUMNS)})
  VALUES ('delete', old.id, {_values("old")});
END""",
    f"""CREATE TRIGGER articles_fts_update AFTER UPDATE OF {", ".join(_COLUMNS)} ON articles BEGIN
  INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {", ".join(_COLUMNS)})
  VALUES ('delete', old.id, {_values("old")});
  INSERT INTO {FTS_TABLE} (rowid, {", ".join(_COLUMNS)}) VALUES (new.id, {_values("new")});
END""",
)


def not_fulltext(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's include_name hook: the index's tables are made here, not by the models."""
    return not (type_ == "table" and (name or "").startswith(FTS_TABLE))


def create_fulltext_index(conn: Connection) -> None:
    """Create the index and the triggers that keep it equal to the articles table."""
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(_CREATE)
    for trigger in _TRIGGERS:
        conn.exec_driver_sql(trigger)
    rebuild_in(conn)


def drop_fulltext_index(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for name in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def rebuild_in(conn: Connection) -> None:
    conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def rebuild_fulltext_index(engine: Engine) -> int:
    """Rebuild the index from the articles table; returns the number of articles indexed."""
    with engine.begin() as conn:
        rebuild_in(conn)
        return int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())


def check_fulltext_index(engine: Engine) -> bool:
    """True when the index agrees with the articles table (FTS5's integrity-check)."""
    with engine.begin() as conn:
        try:
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"))
        except Exception:
            return False
    return True


# A reader's search words become an FTS5 expression that finds every inflected form.
WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*", re.UNICODE)
_SYNTAX = re.compile(r'["*():^]|\b(AND|OR|NOT|NEAR)\b')

Stemmer = Callable[[str], tuple[str, ...]]  # a word's possible stems


def is_advanced(query: str) -> bool:
    """A query written in FTS5 syntax is passed through as the reader wrote it."""
    return bool(_SYNTAX.search(query))


def query_words(query: str) -> list[str]:
    return WORD.findall(query)


def fts_expression(query: str, stem: Stemmer) -> str:
    """Each word must match as written or by its stem: 'Китай экспорт' finds 'Китая', 'экспорта'."""
    if is_advanced(query):
        return query
    words = query_words(query)
    if not words:
        raise ValueError("the search query has no words")
    parts = []
    for word in words:
        options = [f'"{word}"'] + [f'stems:"{s}"' for s in stem(word) if s and '"' not in s]
        parts.append(f"({' OR '.join(options)})" if len(options) > 1 else options[0])
    return " AND ".join(parts)
