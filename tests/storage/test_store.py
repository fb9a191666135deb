"""Storing articles, in-process on a temporary archive: URL identity, exact copies, revisions,
stories and their originals, URL variants, themes, and the full-text index kept in step."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.extraction.textnorm import text_hash
from crawler.fingerprint import article_text, fingerprint, similarity
from storage import articles
from storage.archive import Archive
from storage.fulltext import fts_expression
from storage.records import AnalysedArticle, Article, ScoredTheme
from storage.search import ArticleFilters, search_articles
from storage.stories import NearDuplicatePolicy

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
POLICY = NearDuplicatePolicy(similarity, 0.4)
BODY = ("Минск и Пекин подписали соглашение о поставках калийных удобрений на пять лет.",
        "По словам министра, объём экспорта в Китай вырастет почти вдвое к концу года.",
        "Стороны также обсудили логистику через порт Циндао и новые железнодорожные маршруты.")


def item(outlet: str = "charter97", n: int = 1, body: tuple[str, ...] = BODY,
         title: str = "Калий для Китая", published: datetime = T0,
         seen: tuple[str, ...] = (), themes: tuple[ScoredTheme, ...] = ()) -> AnalysedArticle:
    """An analysed article as the crawler hands it over, with a real fingerprint."""
    url = f"https://{outlet}.example/news/{n}"
    found = fingerprint(article_text(None, body))
    article = Article(
        outlet=outlet, edition="ru", language="ru", url=url, fetched_url=url + "?from=feed",
        outlet_article_id=str(n), title=title, lead=None, paragraphs=body, author=None,
        published_at=published, fetched_at=published + timedelta(hours=1), image_url=None,
        text_hash=text_hash(body), extractor="selectors")
    return AnalysedArticle(article=article, signature=found.signature, bands=found.bands,
                           relevant=True, relevance=0.8, themes=themes,
                           stems=" ".join(body).lower(), seen_urls=seen)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    opened = Archive.open(str(tmp_path / "archive.sqlite"))
    for outlet in ("charter97", "pozirk"):
        opened.register_source(outlet, outlet.title(), f"https://{outlet}.example")
    yield opened
    opened.close()


def rows(archive: Archive, sql: str, *params: object) -> list[tuple[object, ...]]:
    with archive.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, params).all()]


def found(archive: Archive, words: str) -> list[str]:
    hits = search_articles(archive.engine, fts_expression(words, lambda w: ()), ArticleFilters())
    return [h.url for h in hits]


def store(archive: Archive, *items: AnalysedArticle) -> list[str]:
    return [r.outcome for r in archive.store_articles(list(items), policy=POLICY)]


def test_a_new_article_is_one_row_with_its_urls_themes_and_a_story(archive: Archive) -> None:
    theme = ScoredTheme("potash-raw-materials", 3.5, ({"term": "калий", "field": "title"},))
    assert store(archive, item(themes=(theme,))) == [articles.NEW]
    assert rows(archive, "select outlet, title, story_id from articles") == \
        [("charter97", "Калий для Китая", 1)]
    assert rows(archive, "select url, kind from article_urls order by url") == [
        ("https://charter97.example/news/1", "canonical"),
        ("https://charter97.example/news/1?from=feed", "fetched")]
    assert rows(archive, "select theme_id, score from article_themes") == \
        [("potash-raw-materials", 3.5)]
    assert rows(archive, "select original_article_id from stories") == [(1,)]


def test_the_same_url_and_text_again_is_known_and_changes_nothing(archive: Archive) -> None:
    store(archive, item())
    assert store(archive, item(seen=("https://charter97.example/news/1?utm_source=rss",))) == \
        [articles.KNOWN_URL]
    assert rows(archive, "select count(*) from articles") == [(1,)]
    assert rows(archive, "select count(*) from article_versions") == [(0,)]
    # the link it was seen under is kept as a variant of the same article
    assert ("https://charter97.example/news/1?utm_source=rss", "variant") in \
        rows(archive, "select url, kind from article_urls")


def test_the_same_text_under_another_url_is_one_article_seen_twice(archive: Archive) -> None:
    store(archive, item())
    assert store(archive, item("pozirk", 7)) == [articles.SAME_TEXT]
    assert rows(archive, "select count(*) from articles") == [(1,)]
    assert ("https://pozirk.example/news/7", 1, "pozirk", "same-text") in \
        rows(archive, "select url, article_id, outlet, kind from article_urls")


def test_a_revision_keeps_one_row_its_history_and_the_index_follows(archive: Archive) -> None:
    store(archive, item())
    revised_body = (*BODY[:2], "Позже министерство уточнило, что первая партия уйдёт в феврале.")
    assert store(archive, item(body=revised_body, title="Калий для Китая: уточнение")) == \
        [articles.REVISED]
    assert rows(archive, "select id, title from articles") == [(1, "Калий для Китая: уточнение")]
    assert rows(archive, "select title from article_versions where article_id = 1") == \
        [("Калий для Китая",)]
    assert rows(archive, "select updated_at is not null from articles") == [(1,)]
    assert found(archive, "февраль OR феврале") == ["https://charter97.example/news/1"]
    assert found(archive, "Циндао") == []  # the old text's words left the index with it
    conn = sqlite3.connect(archive.engine.url.database or "")
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM articles WHERE id = 1")
        conn.commit()
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()
    assert found(archive, "феврале") == []


def test_a_reprint_joins_the_story_and_the_earliest_publication_is_its_original(
    archive: Archive,
) -> None:
    later = item("charter97", 1, published=T0 + timedelta(hours=5))
    reprint_body = (BODY[0], BODY[1] + " Об этом сообщает агентство.", BODY[2])
    earlier = item("pozirk", 2, body=reprint_body, published=T0)
    assert store(archive, later) == [articles.NEW]
    results = archive.store_articles([earlier], policy=POLICY)
    assert results[0].outcome == articles.NEW and results[0].joined_story
    assert rows(archive, "select count(distinct story_id) from articles") == [(1,)]
    assert rows(archive, "select original_outlet, copies from story_copies") == [("pozirk", 2)]
    assert rows(archive, "select outlet, original_outlet from reprints") == [("charter97", "pozirk")]


def _refetched(stored: AnalysedArticle, days: float) -> AnalysedArticle:
    article = stored.article
    return replace(stored, article=replace(article, fetched_at=article.fetched_at + timedelta(days=days)))


def test_only_articles_stored_within_the_window_are_near_duplicate_candidates(
    archive: Archive,
) -> None:
    reprint = (BODY[0], BODY[1] + " Об этом сообщает агентство.", BODY[2])
    assert store(archive, item("charter97", 1)) == [articles.NEW]
    bands = rows(archive, "select count(*) from article_bands where article_id = 1")[0][0]
    assert bands > 0
    # 29 days later a reprint still joins the story.
    [joined] = archive.store_articles([_refetched(item("pozirk", 2, body=reprint), 29)],
                                      policy=POLICY)
    assert joined.joined_story
    # 31 days after the first, its band rows are gone (the reprint's, 2 days old, stay) ...
    later = (BODY[0] + " Новые подробности.", BODY[1], BODY[2] + " Так сообщили в министерстве.")
    [alone] = archive.store_articles([_refetched(item("pozirk", 3, body=later), 31)],
                                     policy=POLICY)
    assert rows(archive, "select count(*) from article_bands where article_id = 1") == [(0,)]
    assert rows(archive, "select count(*) from article_bands where article_id = 2")[0][0] > 0
    # ... so the third text found the 2-day-old reprint, not the expired first article; the
    # first keeps its signature, story and exact-text identity.
    assert alone.joined_story and alone.story_id == joined.story_id
    assert rows(archive, "select count(*) from article_fingerprints") == [(3,)]
    assert store(archive, _refetched(item("pozirk", 4), 40)) == [articles.SAME_TEXT]
    far = archive.store_articles([_refetched(item("pozirk", 5, body=later[:2]), 80)], policy=POLICY)
    assert not far[0].joined_story  # every candidate has left the window


def test_an_unrelated_text_starts_a_story_of_its_own(archive: Archive) -> None:
    other = ("В Гродно открылся фестиваль народной музыки, на который приехали гости.",
             "Организаторы обещают концерты каждый вечер до воскресенья включительно.",
             "Билеты продаются в кассах городского театра и в интернете.")
    store(archive, item(), item("pozirk", 3, body=other, title="Фестиваль"))
    assert rows(archive, "select count(distinct story_id) from articles") == [(2,)]


def test_one_article_that_cannot_be_written_costs_only_itself(archive: Archive) -> None:
    stranger = item("nowhere", 9)  # an outlet never registered: a foreign key refuses it
    outcomes = store(archive, item(), stranger, item("pozirk", 4, body=(BODY[2], BODY[0])))
    assert outcomes == [articles.NEW, articles.FAILED, articles.NEW]
    assert rows(archive, "select outlet from articles order by id") == [("charter97",), ("pozirk",)]


def test_known_urls_are_the_ones_stored_under_any_kind(archive: Archive) -> None:
    store(archive, item(seen=("https://charter97.example/news/1?amp",)))
    asked = {"https://charter97.example/news/1?amp", "https://charter97.example/news/1",
             "https://charter97.example/news/2"}
    assert archive.known_urls(asked) == asked - {"https://charter97.example/news/2"}


def test_a_replaced_copy_of_a_record_is_not_mistaken_for_a_revision(archive: Archive) -> None:
    first = item()
    store(archive, first)
    same = replace(first, article=replace(first.article, fetched_at=T0 + timedelta(days=2)))
    assert store(archive, same) == [articles.KNOWN_URL]
