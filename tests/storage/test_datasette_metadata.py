"""The shipped Datasette metadata names real tables and its canned queries run on an archive."""

from __future__ import annotations

import json
from pathlib import Path

from storage import migrate
from storage.engine import create_archive_engine, database_url
from storage.sql import run_query

METADATA = Path(__file__).parents[2] / "docs" / "datasette-metadata.json"


def test_canned_queries_run_and_tables_exist(tmp_path: Path) -> None:
    meta = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["archive"]
    engine = create_archive_engine(database_url(tmp_path / "archive.sqlite"))
    migrate.upgrade(engine)
    names = {row[0] for row in run_query(engine, "select name from sqlite_master")[1]}
    assert set(meta["tables"]) <= names
    for name, canned in meta["queries"].items():
        sql = canned["sql"].replace(":query", "'калий'")
        columns, _rows = run_query(engine, sql)
        assert columns, name
    engine.dispose()
