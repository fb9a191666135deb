"""Every replica article, fetched from the running replica and extracted, equals its ground truth."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime

import pytest

from crawler.extraction.extract import extract_article
from crawler.sources import load_sources
from replica.corpus import OUTLET_LANGS, PATH_TEMPLATES, ReplicaArticle, load_corpus
from replica.houses import host_key, public_url
from replica.server import Replica
from storage.records import Article
from tests.conftest import replica_source

CORPUS = load_corpus()
CORPUS_BY_OUTLET = {o: [a for a in CORPUS if a.outlet == o] for o in OUTLET_LANGS}
SOURCES = load_sources()
# Outlets read with selectors of their own (SITES.md knows where their text stands); the
# others by the generic reader.
EXTRACTOR = {o: "selectors" if SOURCES[o].extract.body or SOURCES[o].extract.container
             else "generic" for o in OUTLET_LANGS}

NOISE = ("Patreon", "Написать комментарий", "Напісаць каментар", "Write a comment",
         "Подписывайтесь", "Падпісвайцеся", "Follow us", "Подпишитесь", "Падзяліцца",
         "Поддержите Pozirk", "Падтрымайце Pozirk", "Мнение редакции", "Войдите",
         "commentContainer")


@pytest.fixture(scope="module")
def running() -> Replica:
    with Replica(port=0) as replica:
        yield replica


def _extract(replica: Replica, truth: ReplicaArticle) -> Article:
    key = host_key(truth)
    url = replica.base_urls[key] + truth.path
    with urllib.request.urlopen(url, timeout=10) as response:
        html = response.read().decode("utf-8")
    source = replica_source(replica, SOURCES[truth.outlet])
    result = extract_article(html, url, source, datetime.now(UTC))
    assert isinstance(result, Article), result
    return result


def test_corpus_has_every_outlet_and_every_edition() -> None:
    assert len(CORPUS) >= 40 + 8 * 11
    assert {a.outlet for a in CORPUS} == set(OUTLET_LANGS)
    assert {(a.outlet, a.lang) for a in CORPUS} == {
        (outlet, lang) for outlet, langs in OUTLET_LANGS.items() for lang in langs}
    assert {a.outlet for a in CORPUS if len(CORPUS_BY_OUTLET[a.outlet]) < 8} == set()


@pytest.mark.parametrize("truth", CORPUS, ids=lambda a: f"{a.outlet}-{a.lang}-{a.id}")
def test_every_field_matches_ground_truth(running: Replica, truth: ReplicaArticle) -> None:
    got = _extract(running, truth)
    assert got.title == truth.title
    assert got.lead == truth.lead
    assert got.paragraphs == truth.body
    assert got.author == truth.author
    assert got.published_at == truth.published_utc
    assert got.language == truth.lang.split("_")[0]  # be_latn is Belarusian
    assert got.edition == truth.lang
    assert got.outlet == truth.outlet
    if "{id}" in str(PATH_TEMPLATES[truth.outlet]):
        assert got.outlet_article_id == str(truth.id)
    assert got.extractor == EXTRACTOR[truth.outlet]
    assert got.url == public_url(truth)
    if truth.image:  # stored on the outlet's own host, not the replica's that served it
        assert got.image_url == public_url(truth).removesuffix(truth.path) + truth.image
    text = " ".join((got.title, got.lead or "", got.body))
    assert not [phrase for phrase in NOISE if phrase in text]
