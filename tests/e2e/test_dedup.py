"""Crawling the replica leaves each article once, groups reprints into stories, keeps revisions."""

from __future__ import annotations

from pathlib import Path

from crawler.extraction.urls import article_ref
from crawler.sources import load_sources
from replica.corpus import expected_stories, load_corpus, load_revisions
from replica.houses import public_url
from replica.server import Replica
from tests.conftest import CorpusCrawl, base_url_args, query, replica_source, run_belmon

CORPUS = load_corpus()
BY_KEY = {a.key: a for a in CORPUS}


def _crawl(replica: Replica, db: Path, *extra: str) -> None:
    result = run_belmon("crawl", "--db", str(db), "--delay", "0", "--max-pages", "50",
                        *base_url_args(replica), *extra)
    assert result.returncode == 0, result.stderr[-2000:]


def _story_of(db: Path) -> dict[tuple[str, int], int]:
    """The story of each corpus article, by (outlet, id), found by its URL."""
    story_by_url = dict(query(db, "select url, story_id from articles"))
    return {a.key: int(story_by_url[public_url(a)]) for a in CORPUS if public_url(a) in story_by_url}


def test_reprints_share_a_story_and_look_alikes_do_not(crawled_db: Path) -> None:
    db = crawled_db
    story_of = _story_of(db)
    assert len(story_of) == len(CORPUS)
    found = {}
    for original, members in expected_stories(CORPUS).items():
        stories = {story_of[m] for m in members}
        assert len(stories) == 1, f"{sorted(members)} split over stories {stories}"
        found[original] = stories.pop()
    assert len(set(found.values())) == len(found), "two expected stories were merged"
    multi = query(db, "select count(*) from story_copies where copies > 1")[0][0]
    assert multi == sum(len(m) > 1 for m in expected_stories(CORPUS).values()) >= 3


def test_story_original_is_the_first_publication(crawled_db: Path) -> None:
    reprints = query(crawled_db, "select outlet, original_outlet, published_at, original_published_at "
                         "from reprints")
    assert reprints
    assert all(p >= o for _a, _b, p, o in reprints)


def test_second_crawl_and_url_variants_leave_each_article_once(
    corpus_crawl: CorpusCrawl, crawled_db: Path
) -> None:
    replica, db = corpus_crawl.replica, crawled_db  # the replica whose links were recorded
    _crawl(replica, db)
    assert query(db, "select count(*) from articles") == [(len(CORPUS),)]
    assert [a for a in CORPUS if a.variant_links]
    places = query(db, "select p.url, p.outlet, a.url from article_places p "
                       "join articles a on a.id = p.article_id where p.kind = 'variant'")
    assert places, "the listings' variant links were recorded"
    registry = load_sources()
    sources = {sid: replica_source(replica, registry[sid]) for sid in replica.outlets}
    for variant, outlet, canonical in places:
        ref = article_ref(sources[outlet], variant)
        assert ref is not None and ref.url == canonical, variant


def test_a_revised_article_keeps_one_row_and_its_history(replica: Replica, crawled_db: Path) -> None:
    db = crawled_db
    revision = load_revisions()[0]
    url = public_url(revision)
    before = query(db, "select id, title from articles where url = ?", url)[0]
    replica.add(revision)
    _crawl(replica, db, "--refetch")
    after = query(db, "select id, title, updated_at from articles where url = ?", url)
    assert len(after) == 1 and after[0][0] == before[0]
    assert after[0][1] == revision.title and after[0][2] is not None
    history = query(db, "select title from article_versions where article_id = ?", before[0])
    assert history == [(before[1],)]
    assert query(db, "select count(*) from articles") == [(len(CORPUS),)]
    runs = query(db, "select articles_revised from crawl_runs where outlet = ? "
                     "order by id desc limit 1", revision.outlet)
    assert runs == [(1,)]
