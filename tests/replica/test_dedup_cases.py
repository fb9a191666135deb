"""The replica's deduplication cases: reprints, look-alikes, URL variants and revisions, as data."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from itertools import combinations
from urllib.request import urlopen

import pytest

from crawler.extraction.textnorm import text_hash
from crawler.extraction.urls import article_ref
from crawler.fingerprint import Fingerprint, article_text, fingerprint, same_story
from crawler.sources import load_sources
from replica.corpus import (
    ReplicaArticle,
    expected_stories,
    load_corpus,
    load_revisions,
    parse_article,
)
from replica.pages import PER_PAGE
from replica.server import Replica

CORPUS = load_corpus()
BY_KEY = {a.key: a for a in CORPUS}
SOURCES = load_sources()
CANONICAL = {"charter97": "https://charter97.org", "pozirk": "https://pozirk.online"}
# Look-alikes that must stay apart: two reports on one meeting; two issues of a weekly column.
LOOK_ALIKES = [(("charter97", 698700), ("pozirk", 203470)), (("pozirk", 203380), ("pozirk", 203480))]


def _fingerprint(article: ReplicaArticle) -> Fingerprint:
    return fingerprint(article_text(article.lead, article.body))


def _get(url: str) -> str:
    with urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


@pytest.fixture(scope="module")
def running() -> Iterator[Replica]:
    with Replica(port=0) as replica:
        yield replica


def test_reprints_cross_outlets_and_sides() -> None:
    stories = [members for members in expected_stories(CORPUS).values() if len(members) > 1]
    assert len(stories) >= 7
    assert all(len({outlet for outlet, _ in members}) > 1 for members in stories)
    outlets_of = [{outlet for outlet, _ in members} for members in stories]
    # The copies a reader meets: BelTA's report in Zviazda and in Xinhua's Russian service,
    # an independent outlet quoting a Chinese state text, one independent reprinting another.
    assert {"belta", "zviazda"} in outlets_of and {"belta", "xinhua-ru"} in outlets_of
    assert {"peoples-daily-ru", "zerkalo"} in outlets_of
    assert {"nashaniva", "belsat"} in outlets_of and {"euroradio", "reform"} in outlets_of
    for members in stories:
        texts = {text_hash((BY_KEY[k].lead, *BY_KEY[k].body)) for k in members}
        titles = {BY_KEY[k].title for k in members}
        assert len(texts) == len(titles) == len(members), "a reprint must be edited, not copied"


def test_fingerprints_group_exactly_the_expected_stories() -> None:
    story_of = {key: original for original, keys in expected_stories(CORPUS).items() for key in keys}
    prints = {a.key: _fingerprint(a) for a in CORPUS}
    wrong = [
        (a, b) for a, b in combinations(sorted(prints), 2)
        if same_story(prints[a], prints[b]) != (story_of[a] == story_of[b])
    ]
    assert wrong == []
    for a, b in LOOK_ALIKES:
        assert story_of[a] != story_of[b] and BY_KEY[a].section == BY_KEY[b].section


def test_the_original_is_the_first_publication() -> None:
    for original, keys in expected_stories(CORPUS).items():
        assert BY_KEY[original].published == min(BY_KEY[k].published for k in keys)


def test_variant_links_resolve_to_the_canonical_url(running: Replica) -> None:
    varied = [a for a in CORPUS if a.variant_urls]
    assert {a.outlet for a in varied} == {"charter97"}
    shapes = " ".join(link for a in varied for link in a.variant_links)
    wanted = (r"/\d{4}/\d\d/0\d/", r"\?utm_source=", "#comments", "https://www.", "charter97.link", "/amp/")
    assert [shape for shape in wanted if not re.search(shape, shapes)] == []
    base = running.base_urls["charter97"]
    source = SOURCES["charter97"].with_base_url(base)
    for article in varied:
        canonical = CANONICAL["charter97"] + article.path
        for link in article.variant_links:
            ref = article_ref(source, link, base + "/ru/news/p/1/")
            assert ref is not None and ref.url == canonical, link
            if link.startswith("/") and "/amp/" not in link:
                assert f'<link rel="canonical" href="{canonical}">' in _get(base + link)


def test_charter97_listings_link_the_first_variant(running: Replica) -> None:
    base = running.base_urls["charter97"]
    ru = [a for a in CORPUS if a.outlet == "charter97" and a.lang == "ru"]
    listed = {
        html.unescape(href)
        for page in range(1, (len(ru) - 1) // PER_PAGE + 2)
        for href in re.findall(r'<li><a href="([^"]+)">', _get(f"{base}/ru/news/p/{page}/"))
    }
    assert listed == {a.variant_links[0] if a.variant_urls else a.path for a in ru}


def test_revisions_edit_a_published_article(running: Replica) -> None:
    revisions = load_revisions()
    assert revisions
    for revision in revisions:
        original = BY_KEY[revision.key]
        assert (revision.path, revision.published) == (original.path, original.published)
        assert text_hash((revision.lead, *revision.body)) != text_hash((original.lead, *original.body))
        assert same_story(_fingerprint(revision), _fingerprint(original))
    revision = revisions[0]
    url = running.base_urls[revision.outlet] + revision.path
    assert html.escape(revision.title) not in _get(url)
    running.add(revision)
    try:
        assert html.escape(revision.title) in _get(url)
    finally:
        running.add(BY_KEY[revision.key])


def test_reprint_of_must_name_an_earlier_article() -> None:
    original = BY_KEY["pozirk", 203420]
    copy = BY_KEY["charter97", 698610]
    assert expected_stories([original, copy])[original.key] == {original.key, copy.key}
    with pytest.raises(ValueError, match="charter97 article 698610: bad reprint_of"):
        expected_stories([copy])
    early = replace(copy, published=original.published - timedelta(hours=1))
    with pytest.raises(ValueError, match="bad reprint_of"):
        expected_stories([original, early])


@pytest.mark.parametrize(
    "changes",
    [{"reprint_of": "pozirk"}, {"reprint_of": "charter97:690123"}, {"variant_urls": ["ftp://x/"]},
     {"variant_urls": ["{path}?{unknown}"]}],
)
def test_bad_dedup_fields_are_refused(changes: dict[str, object]) -> None:
    data = {"id": 690123, "lang": "ru", "published": "2026-09-05 04:30", "section": "economics",
            "title": "Заголовок", "lead": "Лид.", "body": ["Абзац."], "relevant": True}
    with pytest.raises(ValueError, match="charter97 article 690123"):
        parse_article("charter97", data | changes)

