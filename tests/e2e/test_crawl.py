"""`belmon crawl` in a subprocess against the running replica, read back with plain sqlite3."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from crawler.sources import load_sources
from replica.corpus import load_corpus
from replica.server import Replica
from tests.conftest import CorpusCrawl, base_url_args, query, run_belmon

CORPUS = load_corpus()


def _crawl(replica: Replica, db: Path, *extra: str) -> str:
    result = run_belmon("crawl", "--db", str(db), "--delay", "0", "--max-pages", "50",
                        *base_url_args(replica), *extra)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_first_crawl_stores_every_replica_article(corpus_crawl: CorpusCrawl) -> None:
    out, db = corpus_crawl.stdout, corpus_crawl.db
    assert "charter97" in out and "pozirk" in out
    counts = dict(query(db, "select outlet, count(*) from articles group by 1"))
    expected = {o: sum(a.outlet == o for a in CORPUS) for o in ("charter97", "pozirk")}
    assert counts == expected
    runs = query(db, "select outlet, status, articles_new, articles_rejected from crawl_runs")
    assert sorted(runs) == sorted((o, "ok", n, 0) for o, n in expected.items())


def test_second_crawl_fetches_no_article_page(replica: Replica, crawled_db: Path) -> None:
    db = crawled_db
    _crawl(replica, db)
    runs = query(db, "select article_pages_fetched, articles_new, articles_skipped "
                     "from crawl_runs where id > 2")
    assert [r[:2] for r in runs] == [(0, 0), (0, 0)]
    assert all(r[2] > 0 for r in runs)
    sources = load_sources()
    article_pages = [path for outlet, path in replica.request_log
                     if sources[outlet].article_pattern.match(path)]
    assert article_pages == []
    assert replica.request_log  # the discovery pages were read


def test_three_added_articles_are_exactly_what_the_next_crawl_stores(
    replica: Replica, crawled_db: Path
) -> None:
    db = crawled_db
    newest = max(CORPUS, key=lambda a: a.published)
    added = [
        replace(newest, id=newest.id + 1000 + i, title=f"{newest.title} ({i})",
                body=tuple(f"{p} [{i}]" for p in newest.body),
                published=newest.published + timedelta(hours=i + 1))
        for i in range(3)
    ]
    for article in added:
        replica.add(article)
    _crawl(replica, db)
    new_rows = query(db, "select title from articles where crawl_run_id > 2 order by title")
    assert [r[0] for r in new_rows] == sorted(a.title for a in added)


def test_published_times_are_stored_in_utc(crawled_db: Path) -> None:
    stored = dict(query(crawled_db, "select url, published_at from articles"))
    canonical = {"charter97": "https://charter97.org", "pozirk": "https://pozirk.online"}
    for truth in CORPUS:
        expected = truth.published_utc.strftime("%Y-%m-%d %H:%M:%S")
        assert stored[canonical[truth.outlet] + truth.path] == expected


def test_paging_through_many_listing_pages_stores_everything(tmp_path: Path, db: Path) -> None:
    from replica.synthetic import scaled_corpus

    empty = tmp_path / "empty"
    for outlet in ("charter97", "pozirk"):
        (empty / outlet).mkdir(parents=True)
    articles = scaled_corpus(150)
    with Replica(port=0, articles_root=empty) as big:
        for article in articles:
            big.add(article)
        _crawl(big, db)
    assert query(db, "select count(*) from articles") == [(150,)]


def test_an_unchanged_feed_is_asked_for_conditionally_and_answers_304(
    replica: Replica, db: Path
) -> None:
    _crawl(replica, db)
    validators = query(db, "select url, etag from feed_validators")
    assert validators and all(etag for _url, etag in validators)
    assert replica.not_modified == 0
    _crawl(replica, db)
    assert replica.not_modified == len(validators)
    newest = max(CORPUS, key=lambda a: a.published)
    replica.add(replace(newest, id=newest.id + 5000, title=f"{newest.title} (feed)",
                        body=tuple(f"{p} [feed]" for p in newest.body),
                        published=newest.published + timedelta(hours=1)))
    _crawl(replica, db)
    assert query(db, "select count(*) from articles where title like '%(feed)'") == [(1,)]
