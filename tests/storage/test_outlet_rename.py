"""Migration 0006: an archive written before it answers the README's queries with the new names."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData, insert

from storage import migrate
from storage.engine import create_archive_engine, database_url

_COUNTS = ("pages_fetched", "article_pages_fetched", "articles_new", "articles_skipped",
           "articles_duplicate", "articles_revised", "articles_near_duplicate",
           "articles_rejected", "fetch_errors", "fallback_used", "no_date")
README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _readme_queries() -> list[str]:
    """Every statement of the README's example-queries block and its quick-start query."""
    block = README.split("Example queries:", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in re.sub(r"--[^\n]*", "", block).split(";") if s.strip()]
    quick = re.findall(r"^(SELECT outlet, language.*?);$", README, flags=re.M)
    assert len(statements) >= 5 and quick, "the README's example queries moved"
    return statements + quick


def _old_archive(path: Path) -> None:
    """An archive at schema 0005, with one outlet, two articles (a reprint), a run and a theme."""
    engine = create_archive_engine(database_url(str(path)))
    migrate.upgrade(engine, to="0005")
    meta = MetaData()
    meta.reflect(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        for outlet in ("charter97", "pozirk"):
            conn.execute(insert(meta.tables["sources"]).values(
                id=outlet, name=outlet.title(), canonical_base=f"https://{outlet}.example",
                first_seen_at=now))
        conn.execute(insert(meta.tables["stories"]).values(id=1, original_article_id=None,
                                                           created_at=now))
        for n, outlet in ((1, "pozirk"), (2, "charter97")):
            conn.execute(insert(meta.tables["articles"]).values(
                id=n, source_id=outlet, url=f"https://{outlet}.example/{n}",
                fetched_url=f"https://{outlet}.example/{n}", outlet_article_id=str(n),
                edition="ru", language="ru", title=f"Калий и Китай {n}", lead=None,
                body="Беларусь поставит калий в Китай.", published_at=now, fetched_at=now,
                text_hash=f"h{n}", word_count=5, extractor="selectors", relevant=True,
                relevance=0.9, story_id=1, updated_at=now))
            conn.execute(insert(meta.tables["article_urls"]).values(
                url=f"https://{outlet}.example/{n}", article_id=n, source_id=outlet,
                kind="canonical", first_seen_at=now))
            conn.execute(insert(meta.tables["article_themes"]).values(
                article_id=n, theme_id="potash-raw-materials", score=3.0, evidence=[]))
        conn.execute(meta.tables["stories"].update().values(original_article_id=1))
        conn.execute(insert(meta.tables["crawl_runs"]).values(
            source_id="charter97", trigger="manual", base_url="https://charter97.example",
            started_at=now, finished_at=now, status="ok", rejected_reasons={},
            **dict.fromkeys(_COUNTS, 0) | {"articles_new": 1}))
    engine.dispose()


def test_an_archive_from_before_the_rename_answers_the_readme_queries(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    _old_archive(db)
    engine = create_archive_engine(database_url(str(db)))
    before, after = migrate.upgrade(engine)
    engine.dispose()
    assert (before, after) == ("0005", migrate.head_revision())

    conn = sqlite3.connect(db)
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        assert "outlets" in tables and "sources" not in tables
        for table in ("articles", "article_urls", "crawl_runs"):
            columns = [r[1] for r in conn.execute(f"pragma table_info({table})")]
            assert "outlet" in columns and "source_id" not in columns, table
        answers = {q: conn.execute(q).fetchall() for q in _readme_queries()}
        assert conn.execute("pragma foreign_key_check").fetchall() == []
    finally:
        conn.close()
    runs = next(rows for q, rows in answers.items() if "FROM crawl_runs" in q)
    assert runs[0][0] == "charter97"
    reprints = next(rows for q, rows in answers.items() if "FROM reprints" in q)
    assert [r[1] for r in reprints] == ["https://charter97.example/2"]
    by_outlet = next(rows for q, rows in answers.items() if q.startswith("SELECT outlet, language"))
    assert sorted(r[0] for r in by_outlet) == ["charter97", "pozirk"]


def test_the_rename_goes_back_down_and_up_again(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    _old_archive(db)
    engine = create_archive_engine(database_url(str(db)))
    migrate.upgrade(engine)
    migrate.downgrade(engine, "0005")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select source_id from articles order by id").scalars().all() \
            == ["pozirk", "charter97"]
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select outlet from reprints").scalars().all() == ["charter97"]
    engine.dispose()
