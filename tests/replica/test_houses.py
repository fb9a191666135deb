"""The outlets built from a house style: feeds and listings where SITES.md puts them, editions
on hosts of their own, the odd pages (comments, AMP), and links the crawler reads as it should."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from crawler.extraction.urls import article_ref
from crawler.sources import load_sources
from replica.houses import HOUSES, host_key, public_url
from replica.server import Replica
from tests.conftest import replica_source

SOURCES = load_sources()


@pytest.fixture(scope="module")
def running() -> Iterator[Replica]:
    with Replica(port=0) as replica:
        yield replica


def get(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except HTTPError as error:
        return error.code, ""


def test_every_house_is_an_outlet_of_the_sources_file() -> None:
    for outlet, house in HOUSES.items():
        source = SOURCES[outlet]
        assert {e.lang for e in source.editions} == set(house.canonical)
        for edition in source.editions:
            # The packaged feeds and listings are served (the replica may serve more).
            assert set(edition.feeds) <= set(house.feeds.get(edition.lang, ())), (outlet, edition)
            assert edition.listing == house.listings.get(edition.lang), (outlet, edition)
            assert (edition.base_url is not None) == (edition.lang in house.own_hosts)


def test_each_feed_lists_its_editions_articles_on_its_own_host(running: Replica) -> None:
    for outlet, house in HOUSES.items():
        for lang, paths in house.feeds.items():
            key = house.own_hosts.get(lang, outlet)
            status, body = get(running.base_urls[key] + paths[0])
            assert status == 200, (outlet, lang)
            links = [el.text or "" for el in ET.fromstring(body).iter("link")][1:]
            expected = [a for a in running.articles(outlet) if a.lang == lang][:20]
            assert links == [running.base_urls[key] + a.path for a in expected], (outlet, lang)


def test_belta_english_has_no_feed_and_its_own_host_serves_only_english(running: Replica) -> None:
    english = running.base_urls["belta.en"]
    assert get(english + "/rss")[0] == 404  # as eng.belta.by answered
    status, listing = get(english + "/all_news/?page=1")
    assert status == 200
    en = [a for a in running.articles("belta") if a.lang == "en"]
    assert re.findall(r'news-list__link" href="([^"]+)"', listing) == [a.path for a in en]
    ru = next(a for a in running.articles("belta") if a.lang == "ru")
    assert get(english + ru.path)[0] == 404  # the Russian article lives on www only
    assert get(running.base_urls["belta"] + ru.path)[0] == 200


def test_a_listing_pages_on_and_ends(running: Replica) -> None:
    cgtn = running.base_urls["cgtn-ru"]
    assert get(cgtn + "/news/?page=1")[0] == 200
    assert get(cgtn + "/news/?page=2")[0] == 404  # fewer than 20 articles: one page
    assert get(cgtn + "/news/?page=x")[0] == 404


def test_nasha_niva_comment_pages_are_pages_but_not_articles(running: Replica) -> None:
    source = replica_source(running, SOURCES["nashaniva"])
    article = running.articles("nashaniva")[0]
    base = running.base_urls[host_key(article)]
    status, listing = get(base + "/ru/news?page=1")
    assert status == 200 and "/comments" in listing
    comments = re.findall(r'href="(/[^"]*/comments)"', listing)[0]
    assert get(base + comments)[0] == 200
    assert article_ref(source, base + comments) is None
    assert article_ref(source, base + article.path) is not None


def test_reform_amp_links_lead_to_the_same_article(running: Replica) -> None:
    source = replica_source(running, SOURCES["reform"])
    base = running.base_urls["reform"]
    status, listing = get(base + "/news/page/1")
    amp = [h for h in re.findall(r'news-list__link" href="([^"]+)"', listing) if h.endswith("/amp")]
    assert status == 200 and amp
    status, page = get(base + amp[0])
    assert status == 200
    ref = article_ref(source, base + amp[0])
    assert ref is not None and ref.path == amp[0].removesuffix("/amp")
    assert f'rel="canonical" href="{ref.url}"' in page


def test_canonical_links_name_the_public_site(running: Replica) -> None:
    for outlet in HOUSES:
        for article in running.articles(outlet)[:2]:
            status, page = get(running.base_urls[host_key(article)] + article.path)
            assert status == 200 and f'rel="canonical" href="{public_url(article)}"' in page


def test_markup_varies_between_houses() -> None:
    kinds = {frozenset(h.metadata) for h in HOUSES.values()}
    assert len(kinds) >= 6
    assert any("json-ld" not in h.metadata and "og" not in h.metadata for h in HOUSES.values())
