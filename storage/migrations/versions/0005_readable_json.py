"""Readable JSON: evidence and other JSON columns keep their letters, not \\u escapes.

Archives written before this stored Cyrillic as \\u043a... escapes, so a plain `SELECT evidence`
showed no word of the text; rows are rewritten once, in chunks, and new rows are written
readable by the engine's JSON serializer (storage/engine.py).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHUNK = 5000
# (table, JSON column), rewritten in rowid order, a chunk at a time.
_COLUMNS = (("article_themes", "evidence"), ("reference_texts", "vector"),
            ("crawl_runs", "rejected_reasons"))


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return  # no archive on another engine predates this revision
    for table, column in _COLUMNS:
        last = 0
        while True:
            rows = conn.execute(sa.text(
                f"SELECT rowid, {column} FROM {table} WHERE rowid > :last "
                f"AND {column} LIKE :escaped ESCAPE '!' ORDER BY rowid LIMIT {CHUNK}"
            ), {"last": last, "escaped": "%\\u%"}).all()
            if not rows:
                break
            conn.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE rowid = :key"),
                [{"key": k, "value": _readable(v)} for k, v in rows],
            )
            last = rows[-1][0]


def _readable(text: str) -> str:
    return json.dumps(json.loads(text), ensure_ascii=False)


def downgrade() -> None:
    pass  # escaped and readable JSON mean the same; nothing to undo
