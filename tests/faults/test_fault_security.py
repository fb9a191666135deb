"""Security: no entity expanded, no file read, no off-site or private address requested, no
cookie kept or logged, robots.txt obeyed, and `belmon sql` cannot write."""

from __future__ import annotations

from pathlib import Path

import pytest

from replica.server import Replica
from storage.engine import create_archive_engine, database_url
from storage.sql import QueryError, run_query
from tests.conftest import query
from tests.faults.conftest import CASES, COOKIES, SECRET, Case, HostileCrawl
from tests.faults.crawling import (
    FAST,
    OpenWatch,
    archive_bytes,
    belmon,
    canonical_url,
    crawl,
    paths_requested,
    runs,
    stored,
)

REDIRECTS = [c for c in CASES if c.mode == "redirect" and c.outcome != "stored"]


def test_no_entity_is_expanded_and_no_file_is_read(hostile: HostileCrawl) -> None:
    on_disk = archive_bytes(hostile.db)
    logs = hostile.result.stdout + hostile.result.stderr
    assert SECRET.encode() not in on_disk and SECRET not in logs
    assert b"lollol" not in on_disk and "lollol" not in logs
    assert b"&xxe;" not in on_disk and b"&lol9;" not in on_disk  # nor the feeds' own text
    assert hostile.secret_opened == 0
    # Nor did anyone fetch the external entity that points at the replica itself.
    assert not [p for _, p in hostile.request_log if "__xxe__" in p]


def test_the_open_watch_sees_a_read(tmp_path: Path) -> None:
    watched = tmp_path / "watched.txt"
    watched.write_text("x", encoding="utf-8")
    watch = OpenWatch([watched])
    try:
        assert watch.events() == 0
        watched.read_text(encoding="utf-8")
        assert watch.events() > 0
    finally:
        watch.close()


@pytest.mark.parametrize("case", REDIRECTS, ids=lambda c: c.id)
def test_a_redirect_off_the_outlet_is_refused_before_any_connection(
    hostile: HostileCrawl, case: Case
) -> None:
    # The refusal reason is the guard's: a request that had left would have met the test
    # network guard (connection-refused), a DNS failure, or the other outlet's server.
    run = runs(hostile.db)[case.outlet]
    assert run["fetch_error_reasons"][f"article {case.reason}"] >= 1
    assert not {"connection-refused", "dns"} & {k.split()[1] for k in run["fetch_error_reasons"]}
    url = hostile.base_urls[case.outlet] + hostile.path(case)
    assert f"could not fetch {url} ({case.reason})" in hostile.result.stderr


def test_a_host_name_is_checked_for_what_it_resolves_to(replica: Replica, tmp_path: Path) -> None:
    port = replica.base_urls["pozirk"].rsplit(":", 1)[1]
    # A base URL the user chose may be a loopback name (the replica, a local mirror)...
    chosen = belmon("crawl", "pozirk", "--db", str(tmp_path / "a.sqlite"), *FAST,
                    "--base-url", f"http://localhost:{port}")
    assert chosen.returncode == 0, chosen.stderr[-2000:]
    assert runs(tmp_path / "a.sqlite")["pozirk"]["articles_new"] == len(replica.articles("pozirk"))
    # ...but an outlet's own public name that resolves to one is never requested.
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[pozirk]\nbase_url = "http://localhost:{port}"\n'
                       f'canonical_base = "http://localhost:{port}"\n', encoding="utf-8")
    replica.reset_request_log()
    refused = belmon("crawl", "pozirk", "--db", str(tmp_path / "b.sqlite"), *FAST,
                     "--sources", str(sources))
    assert refused.returncode == 1
    assert runs(tmp_path / "b.sqlite")["pozirk"]["fetch_error_reasons"] == {
        "listing private-address": 2}
    assert replica.request_log == []


def test_the_other_outlets_server_never_sees_a_redirected_request(hostile: HostileCrawl) -> None:
    case = next(c for c in CASES if c.id == "redirect-other-port")
    assert hostile.path(case) not in [p for o, p in hostile.request_log if o == "charter97"]
    # Every request either server saw was one of its outlet's own pages.
    assert all(p.startswith(("/robots.txt", "/ru/", "/be/", "/en/"))
               for _, p in hostile.request_log)


def test_cookies_are_neither_sent_back_nor_logged(hostile: HostileCrawl) -> None:
    served = [h for h in hostile.fault_hits if h.mode == "set_cookie"]
    assert {h.outlet for h in served} == {"charter97", "pozirk"}
    assert hostile.cookie_log == []
    logs = hostile.result.stdout + hostile.result.stderr
    assert not any(secret in logs for secret in COOKIES)
    assert not any(secret.encode() in archive_bytes(hostile.db) for secret in COOKIES)


def test_robots_txt_is_obeyed_by_default(replica: Replica, tmp_path: Path) -> None:
    # Charter97's robots.txt forbids one listed article; Pozirk's listing lives under
    # /search/, which the replica's own robots.txt disallows.
    banned = replica.articles("charter97")[0]
    replica.set_fault("/robots.txt", "respond", outlet="charter97",
                      body=f"User-agent: *\nDisallow: /search/\nDisallow: {banned.path}\n")
    sources = tmp_path / "sources.toml"
    sources.write_text('[pozirk.editions.ru]\nlisting = "/search/ru/news/?page={page}"\n'
                       'first_listing = "/search/ru/news/"\n'
                       '[pozirk.editions.be]\nlisting = "/search/be/news/?page={page}"\n'
                       'first_listing = "/search/be/news/"\n', encoding="utf-8")
    db = tmp_path / "archive.sqlite"
    result = crawl(replica, db, "--sources", str(sources), outlets=("charter97", "pozirk"))
    assert banned.path not in paths_requested(replica, "charter97")
    assert not [p for p in paths_requested(replica, "pozirk") if p.startswith("/search/")]
    record = runs(db)
    assert record["charter97"]["fetch_error_reasons"] == {"article robots-disallowed": 1}
    assert record["pozirk"]["status"] == "failed"
    assert record["pozirk"]["fetch_error_reasons"] == {"listing robots-disallowed": 2}
    others = {canonical_url(a) for a in replica.articles("charter97")[1:]}
    assert set(stored(db)) == others
    assert result.returncode == 1 and "pozirk: no discovery page could be fetched" in result.stderr


WRITES = {
    "insert": "INSERT INTO sources (id, name, canonical_base, first_seen_at) "
              "VALUES ('x', 'x', 'x', 'x')",
    "update": "UPDATE articles SET title = 'x'",
    "delete": "DELETE FROM articles",
    "replace": "REPLACE INTO sources (id, name, canonical_base, first_seen_at) "
               "VALUES ('x', 'x', 'x', 'x')",
    "with-delete": "WITH gone AS (SELECT id FROM articles) DELETE FROM articles WHERE id IN gone",
    "drop": "DROP TABLE articles",
    "create": "CREATE TABLE evil (x)",
    "alter": "ALTER TABLE articles ADD COLUMN evil TEXT",
    "attach": "ATTACH DATABASE '{other}' AS other",
    "pragma-journal-mode": "PRAGMA journal_mode = DELETE",
    "pragma-user-version": "PRAGMA user_version = 7",
    "pragma-writable-schema": "PRAGMA writable_schema = ON",
    "vacuum": "VACUUM",
    "vacuum-into": "VACUUM INTO '{other}'",
    "reindex": "REINDEX",
    "two-statements": "SELECT 1; DELETE FROM articles",
}


@pytest.mark.parametrize("statement", WRITES.values(), ids=WRITES.keys())
def test_read_only_sql_refuses_every_write(hostile: HostileCrawl, tmp_path: Path,
                                          statement: str) -> None:
    other = tmp_path / "other.sqlite"
    before = archive_bytes(hostile.db)
    engine = create_archive_engine(database_url(hostile.db))
    try:
        with pytest.raises(QueryError) as refused:
            run_query(engine, statement.format(other=other))
    finally:
        engine.dispose()
    assert "\n" not in str(refused.value)
    assert archive_bytes(hostile.db) == before
    assert not other.exists()


@pytest.mark.parametrize("statement", [WRITES["delete"], WRITES["attach"],
                                       WRITES["pragma-user-version"]],
                         ids=["delete", "attach", "pragma-user-version"])
def test_belmon_sql_says_why_in_one_line(hostile: HostileCrawl, tmp_path: Path,
                                         statement: str) -> None:
    other = tmp_path / "other.sqlite"
    before = archive_bytes(hostile.db)
    result = belmon("sql", statement.format(other=other), "--db", str(hostile.db))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "read-only" in result.stderr or "not allowed" in result.stderr, result.stderr
    assert archive_bytes(hostile.db) == before
    assert not other.exists()


def test_belmon_sql_still_reads(hostile: HostileCrawl) -> None:
    result = belmon("sql", "SELECT count(*) AS n FROM articles", "--db", str(hostile.db), "--format", "csv")
    assert result.returncode == 0
    assert result.stdout.split() == ["n", str(query(hostile.db, "select count(*) from articles")[0][0])]
    checked = belmon("sql", "PRAGMA integrity_check", "--db", str(hostile.db), "--format", "csv")
    assert checked.returncode == 0 and checked.stdout.split()[-1] == "ok"


def test_a_full_text_syntax_error_is_one_clear_line(hostile: HostileCrawl) -> None:
    result = belmon("search", "Китай AND", "--db", str(hostile.db))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "full-text query not understood" in result.stderr
