"""docs/schema.md names every table, view and column of a freshly migrated archive."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from storage import migrate
from storage.engine import create_archive_engine, database_url

DOC = (Path(__file__).parents[2] / "docs" / "schema.md").read_text(encoding="utf-8")
FTS_STORAGE = re.compile(r"^articles_fts_(data|idx|docsize|config|content)$")


def _sections() -> dict[str, str]:
    parts = re.split(r"^### `([a-z_]+)`\s*$", DOC, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _schema(tmp_path: Path) -> dict[str, list[str]]:
    path = tmp_path / "a.sqlite"
    engine = create_archive_engine(database_url(path))
    migrate.upgrade(engine)
    engine.dispose()
    conn = sqlite3.connect(path)
    names = [n for (n,) in conn.execute(
        "select name from sqlite_master where type in ('table', 'view')") if not FTS_STORAGE.match(n)]
    schema = {n: [c[1] for c in conn.execute(f"pragma table_info('{n}')")] for n in names}
    conn.close()
    return schema


def test_every_table_view_and_column_is_documented(tmp_path: Path) -> None:
    sections = _sections()
    missing = []
    for name, columns in _schema(tmp_path).items():
        if name not in sections:
            missing.append(name)
            continue
        missing += [f"{name}.{c}" for c in columns if f"| `{c}` |" not in sections[name]]
    assert missing == []


def test_no_documented_object_is_gone(tmp_path: Path) -> None:
    schema = _schema(tmp_path)
    assert sorted(set(_sections()) - set(schema)) == []


def test_no_documented_column_is_gone(tmp_path: Path) -> None:
    schema = _schema(tmp_path)
    stale = []
    for name, section in _sections().items():
        documented = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
        stale += [f"{name}.{c}" for c in documented if c not in schema.get(name, [])]
    assert stale == []
