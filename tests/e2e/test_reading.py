"""The archive for readers: themes stored with every article, search, export, match, rematch."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from replica.corpus import OUTLETS, ReplicaArticle, load_corpus, load_revisions
from replica.houses import public_url
from replica.server import Replica
from tests.conftest import SHARED, CorpusCrawl, base_url_args, copy_archive, query, run_belmon

CORPUS = load_corpus()


@pytest.fixture(scope="module")
def crawled(
    tmp_path_factory: pytest.TempPathFactory, corpus_crawl: CorpusCrawl
) -> Iterator[tuple[Replica, Path]]:
    db = copy_archive(corpus_crawl.db, tmp_path_factory.mktemp("reading") / "archive.sqlite")
    with Replica(port=0) as replica:
        yield replica, db


def _crawl(replica: Replica, db: Path, *extra: str) -> None:
    result = run_belmon("crawl", "--db", str(db), "--delay", "0", "--max-pages", "50",
                        *base_url_args(replica), *extra)
    assert result.returncode == 0, result.stderr[-2000:]


def _url(article: ReplicaArticle) -> str:
    return public_url(article)


def _text(article: ReplicaArticle) -> str:
    return " ".join((article.title, article.lead, *article.body))


def test_every_article_has_its_expected_themes(crawled: tuple[Replica, Path]) -> None:
    _replica, db = crawled
    stored = {url: bool(rel) for url, rel in query(db, "select url, relevant from articles")}
    themes: dict[str, set[str]] = {}
    for url, theme in query(db, "select a.url, t.theme_id from article_themes t "
                                "join articles a on a.id = t.article_id"):
        themes.setdefault(url, set()).add(theme)
    for article in CORPUS:
        assert stored[_url(article)] == article.relevant, _url(article)
        assert set(article.themes) <= themes.get(_url(article), set()), _url(article)
    evidence = query(db, "select evidence from article_themes limit 1")[0][0]
    assert {"field", "start", "end", "text", "term"} <= set(json.loads(evidence)[0])


def _search(db: Path, words: str, *extra: str) -> list[dict[str, object]]:
    result = run_belmon("search", words, "--db", str(db), "--format", "jsonl", "--limit", "1000",
                        *extra)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize(("word", "other_form"), [
    ("Китаем", "Китая"), ("Кітаем", "Кітая"), ("sanctioned", "sanctions"),
])
def test_one_word_finds_its_inflected_forms(
    crawled: tuple[Replica, Path], word: str, other_form: str
) -> None:
    _replica, db = crawled
    only_other = [a for a in CORPUS
                  if re.search(rf"\b{other_form}\b", _text(a)) and word not in _text(a)]
    assert only_other, "the corpus should hold an article with only the other form"
    found = {hit["url"] for hit in _search(db, word)}
    assert {_url(a) for a in only_other} <= found


def test_search_filters_and_snippet(crawled: tuple[Replica, Path]) -> None:
    _replica, db = crawled
    hits = _search(db, "калий", "--outlet", "pozirk", "--relevant")
    assert hits and all(h["url"].startswith("https://pozirk.online") for h in hits)
    assert any("[" in str(h["snippet"]) for h in hits)


def test_a_malformed_query_is_one_line_and_exit_1(crawled: tuple[Replica, Path]) -> None:
    _replica, db = crawled
    result = run_belmon("search", '"unclosed', "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "not understood" in result.stderr


def test_export_streams_every_article_with_themes_and_story(crawled: tuple[Replica, Path]) -> None:
    _replica, db = crawled
    result = run_belmon("export", "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(CORPUS)
    assert all(row["story_id"] for row in rows)
    assert sum(bool(row["themes"]) for row in rows) == sum(a.relevant for a in CORPUS)
    csv_out = run_belmon("export", "--db", str(db), "--format", "csv", "--relevant")
    assert csv_out.stdout.count("\n") > sum(a.relevant for a in CORPUS)


def test_match_scores_files_without_an_archive(tmp_path: Path) -> None:
    relevant = next(a for a in CORPUS if a.relevant and a.lang == "en")
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>{relevant.title}</title></head><body><article>"
                    + "".join(f"<p>{p}</p>" for p in relevant.body) + "</article></body></html>",
                    encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("Weather\nRain is expected in Minsk on Sunday.", encoding="utf-8")
    result = run_belmon("match", str(page), str(note), "--db", str(tmp_path / "none.sqlite"))
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["relevant"] and set(relevant.themes) <= {t["id"] for t in first["themes"]}
    assert not second["relevant"] and second["themes"] == []
    assert not (tmp_path / "none.sqlite").exists()


def test_references_and_rematch(tmp_path: Path, crawled: tuple[Replica, Path]) -> None:
    _replica, source_db = crawled
    db = tmp_path / "copy.sqlite"
    with sqlite3.connect(source_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    added = run_belmon("reference", "add", *map(str, seeds), "--db", str(db))
    assert added.returncode == 0, added.stderr
    themes = tmp_path / "themes.toml"
    themes.write_text("[themes.potash-raw-materials]\nthreshold = 1000.0\n", encoding="utf-8")
    assert query(db, "select count(*) from article_themes where theme_id = 'potash-raw-materials'"
                 )[0][0] > 0
    result = run_belmon("rematch", "--db", str(db), "--themes", str(themes))
    assert result.returncode == 0, result.stderr
    assert f"rescored {len(CORPUS)} articles" in result.stdout
    assert query(db, "select count(*) from article_themes "
                     "where theme_id = 'potash-raw-materials'") == [(0,)]
    pairs = query(db, "select count(*) from article_references")[0][0]
    assert pairs == len(CORPUS) * len(seeds)
    top = query(db, "select a.relevant from article_references r join articles a "
                    "on a.id = r.article_id order by r.similarity desc limit 5")
    assert all(rel for (rel,) in top)


def test_index_follows_revisions_and_deletions(crawled_db: Path) -> None:
    db = crawled_db
    with Replica(port=0) as replica:
        revision = load_revisions()[0]
        new_words = set(" ".join(revision.body).split()) - set(" ".join(
            next(a for a in CORPUS if a.key == revision.key).body).split())
        candidates = sorted((w for w in new_words if w.isalpha() and len(w) > 6), key=len)
        marker = next(w for w in reversed(candidates) if not _search(db, w))
        replica.add(revision)
        _crawl(replica, db, "--refetch")
    assert [h["url"] for h in _search(db, marker)] == [_url(revision)]
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM articles WHERE url = ?", (_url(revision),))
    assert not _search(db, marker)
    check = sqlite3.connect(db)
    check.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    check.close()


def test_evidence_is_stored_readable_for_sql_readers(crawled: tuple[Replica, Path]) -> None:
    _replica, db = crawled
    raw = [e for (e,) in query(db, "select evidence from article_themes a join articles r "
                                   "on r.id = a.article_id where r.language = 'ru'")]
    assert raw and not any("\\u04" in e for e in raw)
    assert any(re.search("[а-яё]", e) for e in raw)  # the matched words, as written


def test_unknown_outlet_or_theme_is_an_error_naming_the_known_ids(
    crawled: tuple[Replica, Path]
) -> None:
    _replica, db = crawled
    for command in (["search", "Китай"], ["export"]):
        outlet = run_belmon(*command, "--outlet", "charter98", "--db", str(db))
        assert outlet.returncode == 2 and outlet.stdout == ""
        assert outlet.stderr.strip().startswith(
            "Error: Invalid value for --outlet: unknown outlet 'charter98'; known: "
            + ", ".join(sorted(OUTLETS)))
        theme = run_belmon(*command, "--theme", "potash", "--db", str(db))
        assert theme.returncode == 2 and "unknown theme 'potash'; known: " in theme.stderr
        assert "potash-raw-materials" in theme.stderr
        known = run_belmon(*command, "--theme", "potash-raw-materials", "--db", str(db))
        assert known.returncode == 0, known.stderr


def test_the_search_table_shows_the_highlight_and_csv_keeps_its_columns(
    crawled: tuple[Replica, Path]
) -> None:
    _replica, db = crawled
    shown = run_belmon("search", "калий", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    rows = shown.stdout.splitlines()[2:]
    marked = [h for h in _search(db, "калий", "--limit", "20") if "[" in str(h["snippet"])]
    assert rows and len(marked) >= 3
    for hit in marked:  # a snippet with a highlight shows it in the table, however far in
        [row] = [r for r in rows if r.rstrip().endswith(str(hit["url"]))]
        assert "[" in row and "]" in row, row
    empty = run_belmon("search", "несуществующееслово", "--format", "csv", "--db", str(db))
    assert empty.stdout.splitlines() == ["outlet,published_at,title,snippet,url,rank"]
    full = run_belmon("search", "калий", "--format", "csv", "--db", str(db))
    assert full.stdout.splitlines()[0] == "outlet,published_at,title,snippet,url,rank"


def test_around_mark_keeps_the_first_highlight_in_the_cell() -> None:
    from scheduler.cli.search import around_mark

    late = "слово " * 40 + "[калий] и дальше " * 5
    cell = around_mark(late, 80)
    assert len(cell) <= 80 and "[калий]" in cell and cell.startswith("…")
    early = "[калий] " + "слово " * 40
    assert around_mark(early, 80).startswith("[калий]")
    assert around_mark("short [one]", 80) == "short [one]"
