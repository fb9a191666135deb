"""`belmon sql` on a real archive file, in-process: refusals name the statement, a time limit
stops a runaway query, an empty query is an error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.archive import Archive
from storage.sql import QueryError, run_query


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    archive = Archive.open(str(tmp_path / "archive.sqlite"))
    archive.register_source("charter97", "Charter97", "https://charter97.org")
    for _ in range(60):
        archive.start_run("charter97", "manual", "https://charter97.org", None)
    yield archive.engine
    archive.close()


@pytest.mark.parametrize(("statement", "named"), [
    ("drop table articles", "DROP"),
    ("DROP VIEW matched_articles", "DROP"),
    ("vacuum", "VACUUM"),
    ("delete from articles", "DELETE"),
    ("  -- a comment first\n insert into stories (created_at) values ('x')", "INSERT"),
    ("with gone as (select id from articles) delete from articles where id in gone", "DELETE"),
    ("create table evil (x)", "CREATE"),
    ("pragma user_version = 7", "PRAGMA user_version"),
    ("attach database ':memory:' as other", "ATTACH"),
])
def test_a_refusal_names_the_statement_the_user_wrote(
    engine: Engine, statement: str, named: str
) -> None:
    with pytest.raises(QueryError) as refused:
        run_query(engine, statement)
    assert str(refused.value) == f"belmon sql is read-only: {named} is not allowed"


@pytest.mark.parametrize("statement", ["", "   ", ";", "-- only a comment", "/* nothing */ ;"])
def test_an_empty_query_is_an_error(engine: Engine, statement: str) -> None:
    with pytest.raises(QueryError, match="^no SQL statement given$"):
        run_query(engine, statement)


def test_a_runaway_query_is_stopped_at_the_time_limit(engine: Engine) -> None:
    import time

    endless = ("select count(*) from crawl_runs a, crawl_runs b, crawl_runs c, crawl_runs d, "
               "crawl_runs e")  # 60^5 rows: minutes
    began = time.monotonic()
    with pytest.raises(QueryError, match=r"^the query was stopped after 0.5 s"):
        run_query(engine, endless, time_limit=0.5)
    assert time.monotonic() - began < 5
    # The connection is usable afterwards, and a quick query is not stopped.
    assert run_query(engine, "select count(*) from crawl_runs", time_limit=0.5)[1] == [(60,)]


def test_without_a_limit_a_query_runs_to_its_end(engine: Engine) -> None:
    columns, rows = run_query(engine, "select count(*) as n from crawl_runs a, crawl_runs b",
                              time_limit=None)
    assert (columns, rows) == (["n"], [(3600,)])


def test_full_text_search_works_on_a_connection_that_opens_the_index_first(tmp_path: Path) -> None:
    """FTS5 asks to update the schema table when a connection first opens its index: a fresh
    `belmon sql` process runs the README's MATCH query instead of refusing it as an UPDATE."""
    path = str(tmp_path / "archive.sqlite")
    Archive.open(path).close()
    fresh = Archive.open(path)
    try:
        columns, rows = run_query(fresh.engine, "SELECT a.title FROM articles_fts f JOIN articles a "
                                  "ON a.id = f.rowid WHERE articles_fts MATCH 'potash'")
        assert columns == ["title"] and rows == []
        with pytest.raises(QueryError, match="sqlite_master may not be modified"):
            run_query(fresh.engine, "UPDATE sqlite_master SET sql = 'x'")
    finally:
        fresh.close()
