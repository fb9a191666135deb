"""`belmon crawl` in a subprocess against the running replica, read back with plain sqlite3."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from crawler.extraction.urls import canonical_url
from crawler.sources import load_sources
from replica.corpus import OUTLETS, load_corpus
from replica.houses import public_url
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
    expected = {o: sum(a.outlet == o for a in CORPUS) for o in OUTLETS}
    assert counts == expected
    runs = query(db, "select outlet, status, articles_new, articles_rejected from crawl_runs")
    assert sorted(runs) == sorted((o, "ok", n, 0) for o, n in expected.items())


def test_second_crawl_fetches_no_article_page(replica: Replica, crawled_db: Path) -> None:
    db = crawled_db
    _crawl(replica, db)
    runs = query(db, "select article_pages_fetched, articles_new, articles_skipped "
                     "from crawl_runs where id > ?", len(OUTLETS))
    assert [r[:2] for r in runs] == [(0, 0)] * len(OUTLETS)
    assert all(r[2] > 0 for r in runs)
    sources = load_sources()
    article_pages = [path for host, path in replica.request_log
                     if canonical_url(sources[host.split(".")[0]], path) is not None]
    assert article_pages == []
    assert replica.request_log  # the discovery pages were read


def test_three_added_articles_are_exactly_what_the_next_crawl_stores(
    replica: Replica, crawled_db: Path
) -> None:
    db = crawled_db
    newest = max(CORPUS, key=lambda a: a.published)
    added = [
        replace(newest, id=newest.id + 1000 + i, title=f"{newest.title} ({i})",
                slug=f"{newest.slug}-{i}" if newest.slug else None,
                body=tuple(f"{p} [{i}]" for p in newest.body),
                published=newest.published + timedelta(hours=i + 1))
        for i in range(3)
    ]
    for article in added:
        replica.add(article)
    _crawl(replica, db)
    new_rows = query(db, "select title from articles where crawl_run_id > ? order by title",
                     len(OUTLETS))
    assert [r[0] for r in new_rows] == sorted(a.title for a in added)


def test_published_times_are_stored_in_utc(crawled_db: Path) -> None:
    stored = dict(query(crawled_db, "select url, published_at from articles"))
    for truth in CORPUS:
        expected = truth.published_utc.strftime("%Y-%m-%d %H:%M:%S")
        assert stored[public_url(truth)] == expected


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
    newest = max((a for a in CORPUS if a.outlet == "charter97"), key=lambda a: a.published)
    replica.add(replace(newest, id=newest.id + 5000, title=f"{newest.title} (feed)",
                        body=tuple(f"{p} [feed]" for p in newest.body),
                        published=newest.published + timedelta(hours=1)))
    _crawl(replica, db)
    assert query(db, "select count(*) from articles where title like '%(feed)'") == [(1,)]


def test_a_feed_is_read_in_full_again_until_all_its_articles_were_fetched(
    replica: Replica, db: Path
) -> None:
    # Zviazda is found through its feed alone: were the feed's validators kept after an
    # article failed to fetch, the next crawl would be answered 304 and never see it again.
    target = replica.articles("zviazda")[0]
    replica.set_fault(target.path, "status", outlet="zviazda", status=404)
    zviazda = ("crawl", "zviazda", "--db", str(db), "--delay", "0",
               "--base-url", replica.base_urls["zviazda"])
    first = run_belmon(*zviazda)
    assert first.returncode == 0, first.stderr[-2000:]
    stored = {url for (url,) in query(db, "select url from articles")}
    assert public_url(target) not in stored and len(stored) == len(replica.articles("zviazda")) - 1
    replica.clear_faults()
    again = run_belmon(*zviazda)
    assert again.returncode == 0, again.stderr[-2000:]
    assert public_url(target) in {url for (url,) in query(db, "select url from articles")}
    assert replica.not_modified == 0  # the feed was asked for unconditionally
    third = run_belmon(*zviazda)
    assert third.returncode == 0 and replica.not_modified == 1  # complete now: 304 from here
