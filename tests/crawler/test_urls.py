"""URL identity: every variant of an article URL gives one canonical URL; other links give None."""

from __future__ import annotations

import pytest

from crawler.extraction.urls import (
    ArticleRef,
    article_ref,
    canonical_url,
    clean_url,
    is_tracking,
)
from crawler.sources import load_sources

SOURCES = load_sources()
RUN_BASE = "http://127.0.0.1:8097"  # a run against the replica
CHARTER97 = SOURCES["charter97"].with_base_url(RUN_BASE)
POZIRK = SOURCES["pozirk"].with_base_url("http://127.0.0.1:8098")
C97_URL = "https://charter97.org/ru/news/2026/9/5/690123/"
POZ_URL = "https://pozirk.online/be/news/202242"

C97_VARIANTS = {
    "canonical": C97_URL,
    "http": "http://charter97.org/ru/news/2026/9/5/690123/",
    "www": "https://www.charter97.org/ru/news/2026/9/5/690123/",
    "mobile": "https://m.charter97.org/ru/news/2026/9/5/690123/",
    "amp host": "https://amp.charter97.org/ru/news/2026/9/5/690123/",
    "mirror": "https://charter97.link/ru/news/2026/9/5/690123/",
    "www mirror": "http://www.charter97.link/ru/news/2026/9/5/690123/",
    "upper-case host, trailing dot": "https://WWW.Charter97.ORG./ru/news/2026/9/5/690123/",
    "explicit default port": "https://charter97.org:443/ru/news/2026/9/5/690123/",
    "run base": f"{RUN_BASE}/ru/news/2026/9/5/690123/",
    "zero-padded month and day": "https://charter97.org/ru/news/2026/09/05/690123/",
    "zero-padded day only": "https://charter97.org/ru/news/2026/9/05/690123/",
    "no trailing slash": "https://charter97.org/ru/news/2026/9/5/690123",
    "doubled slashes": "https://charter97.org/ru/news//2026/9/5/690123//",
    "utm": "https://charter97.org/ru/news/2026/9/5/690123/?utm_source=telegram&utm_medium=social",
    "fbclid": "https://charter97.org/ru/news/2026/9/5/690123/?fbclid=IwAR0abc",
    "gclid, yclid": "https://charter97.org/ru/news/2026/09/05/690123?gclid=x1&yclid=42",
    "_openstat": "https://charter97.org/ru/news/2026/9/5/690123/?_openstat=ZGlyZWN0",
    "fragment": "https://charter97.org/ru/news/2026/9/5/690123/#comments",
    "query and fragment": "https://m.charter97.org/ru/news/2026/09/5/690123?utm_campaign=a#c1",
    "amp suffix": "https://charter97.org/ru/news/2026/9/5/690123/amp/",
    "amp suffix, no slash": "https://charter97.org/ru/news/2026/9/5/690123/amp",
    "amp prefix": "https://charter97.org/amp/ru/news/2026/9/5/690123/",
    "amp query": "https://charter97.org/ru/news/2026/9/5/690123/?amp=1",
    "amp everything": "https://amp.charter97.org/ru/news/2026/09/05/690123/amp/?amp&utm_source=x#top",
    "relative": "/ru/news/2026/09/05/690123/?utm_source=rss",
    "scheme-relative": "//www.charter97.org/ru/news/2026/9/5/690123/",
    "padded whitespace": "  /ru/news/2026/9/5/690123/ \n",
}

POZ_VARIANTS = {
    "canonical": POZ_URL,
    "http": "http://pozirk.online/be/news/202242",
    "www": "https://www.pozirk.online/be/news/202242",
    "mobile": "https://m.pozirk.online/be/news/202242",
    "amp host": "https://amp.pozirk.online/be/news/202242",
    "run base": "http://127.0.0.1:8098/be/news/202242",
    "trailing slash": "https://pozirk.online/be/news/202242/",
    "zero-padded id": "https://pozirk.online/be/news/0202242",
    "utm": "https://pozirk.online/be/news/202242?utm_source=facebook&utm_medium=post",
    "fbclid": "https://pozirk.online/be/news/202242/?fbclid=IwAR1xyz",
    "gclid, yclid, _openstat": "https://pozirk.online/be/news/202242?gclid=a&yclid=b&_openstat=c",
    "fragment": "https://pozirk.online/be/news/202242#comments",
    "amp suffix": "https://pozirk.online/be/news/202242/amp/",
    "amp suffix, no slash": "https://pozirk.online/be/news/202242/amp",
    "amp query": "https://pozirk.online/be/news/202242?amp=1",
    "amp prefix": "https://pozirk.online/amp/be/news/202242",
    "relative": "/be/news/202242/?utm_source=newsletter#top",
}


@pytest.mark.parametrize("href", C97_VARIANTS.values(), ids=C97_VARIANTS.keys())
def test_charter97_variants_share_one_canonical_url(href: str) -> None:
    page = f"{RUN_BASE}/ru/news/p/1/"
    assert article_ref(CHARTER97, href, page) == ArticleRef(
        url=C97_URL, outlet_article_id="690123", lang="ru", path="/ru/news/2026/9/5/690123/"
    )


@pytest.mark.parametrize("href", POZ_VARIANTS.values(), ids=POZ_VARIANTS.keys())
def test_pozirk_variants_share_one_canonical_url(href: str) -> None:
    page = "http://127.0.0.1:8098/be/news/"
    assert article_ref(POZIRK, href, page) == ArticleRef(
        url=POZ_URL, outlet_article_id="202242", lang="be", path="/be/news/202242"
    )


def test_packaged_sources_resolve_relative_links_on_the_canonical_host() -> None:
    assert canonical_url(SOURCES["charter97"], "/en/news/2026/11/05/697590") == (
        "https://charter97.org/en/news/2026/11/5/697590/"
    )
    assert canonical_url(SOURCES["pozirk"], "ru/news/202975/", "https://pozirk.online/") == (
        "https://pozirk.online/ru/news/202975"
    )


NOT_CHARTER97 = {
    "another site": "https://example.com/ru/news/2026/9/5/690123/",
    "look-alike host": "https://notcharter97.org/ru/news/2026/9/5/690123/",
    "host as a sub-domain": "https://charter97.org.example.com/ru/news/2026/9/5/690123/",
    "unknown sub-domain": "https://blog.charter97.org/ru/news/2026/9/5/690123/",
    "the other outlet": "https://pozirk.online/ru/news/2026/9/5/690123/",
    "run host on another port": "http://127.0.0.1:8098/ru/news/2026/9/5/690123/",
    "ftp": "ftp://charter97.org/ru/news/2026/9/5/690123/",
    "mailto": "mailto:info@charter97.org",
    "javascript": "javascript:void(0)",
    "listing page": "https://charter97.org/ru/news/p/2/",
    "feed": "https://charter97.org/ru/rss/all/",
    "day without id": "https://charter97.org/ru/news/2026/9/5/",
    "no date": "https://charter97.org/ru/news/690123/",
    "unknown edition": "https://charter97.org/de/news/2026/9/5/690123/",
    "article sub-page": "https://charter97.org/ru/news/2026/9/5/690123/comments/",
    "three-digit month": "https://charter97.org/ru/news/2026/009/5/690123/",
    "image": "https://charter97.org/images/2026/09/690123.jpg",
}

NOT_POZIRK = {
    "another site": "https://example.org/be/news/202242",
    "look-alike host": "https://pozirk.online.example.org/be/news/202242",
    "the other outlet": "https://charter97.org/be/news/202242",
    "run host on another port": "http://127.0.0.1:8097/be/news/202242",
    "listing": "https://pozirk.online/be/news/?page=2",
    "tag page": "https://pozirk.online/be/tag/politics",
    "English edition": "https://pozirk.online/en/news/202242",
    "slug instead of id": "https://pozirk.online/be/news/kitai-i-minsk",
    "dated path": "https://pozirk.online/be/news/2026/9/2/202242",
    "donate": "https://pozirk.online/donate",
}


@pytest.mark.parametrize("href", NOT_CHARTER97.values(), ids=NOT_CHARTER97.keys())
def test_other_links_are_not_charter97_articles(href: str) -> None:
    assert article_ref(CHARTER97, href, f"{RUN_BASE}/ru/news/p/1/") is None


@pytest.mark.parametrize("href", NOT_POZIRK.values(), ids=NOT_POZIRK.keys())
def test_other_links_are_not_pozirk_articles(href: str) -> None:
    assert canonical_url(POZIRK, href, "http://127.0.0.1:8098/be/news/") is None


def test_different_articles_keep_different_urls() -> None:
    hrefs = [
        "/ru/news/2026/9/5/690123/", "/ru/news/2026/9/5/690124/", "/be/news/2026/9/5/690123/",
        "/ru/news/2026/9/6/690123/", "/en/news/2026/9/5/690123/",
    ]
    assert len({canonical_url(CHARTER97, h) for h in hrefs}) == len(hrefs)


def test_outlet_hosts() -> None:
    assert CHARTER97.serves("https://m.www.charter97.org/x")
    assert CHARTER97.serves(f"{RUN_BASE}/anything")
    assert not CHARTER97.serves("http://127.0.0.1/anything")  # port 80, not the run's
    assert not CHARTER97.serves("http://127.0.0.1:notaport/x")
    assert not POZIRK.serves("https://www.charter97.org/")
    assert not POZIRK.serves("https://m./")


@pytest.mark.parametrize(
    ("url", "cleaned"),
    [
        ("HTTPS://WWW.Example.COM:443/a/b?utm_source=x&id=7&fbclid=y#frag",
         "https://www.example.com/a/b?id=7"),
        ("http://example.com:8080/p?page=2&utm_medium=social", "http://example.com:8080/p?page=2"),
        ("https://example.com?yclid=1&_openstat=2&gclid=3&amp=1", "https://example.com/"),
        ("https://user:secret@example.com./a?b=1&a=2", "https://example.com/a?b=1&a=2"),
        ("https://[2001:db8::1]:8443/x#y", "https://[2001:db8::1]:8443/x"),
    ],
)
def test_clean_url(url: str, cleaned: str) -> None:
    assert clean_url(url) == cleaned


def test_tracking_parameters() -> None:
    tracking = ["utm_source", "UTM_Campaign", "fbclid", "gclid", "yclid", "_openstat", "mc_eid", "amp"]
    assert all(is_tracking(name) for name in tracking)
    assert not any(is_tracking(name) for name in ("id", "page", "q", "lang", "utm"))


def test_urls_served_by_the_run_s_base_move_to_the_canonical_host() -> None:
    from crawler.extraction.urls import on_canonical_host

    source = load_sources()["charter97"].with_base_url("http://127.0.0.1:8097")
    assert on_canonical_host(source, "http://127.0.0.1:8097/images/1.jpg?w=2") == \
        "https://charter97.org/images/1.jpg?w=2"
    # Another port of the same address, another host: not the outlet's base; left as they are.
    for other in ("http://127.0.0.1:8098/images/1.jpg", "https://cdn.example.net/1.jpg",
                  "https://charter97.org/images/1.jpg"):
        assert on_canonical_host(source, other) == other
    real = load_sources()["charter97"]
    assert on_canonical_host(real, "https://charter97.org/x.jpg") == "https://charter97.org/x.jpg"


@pytest.mark.parametrize("url", [
    "https://amp.charter97.org/ru/news/2026/10/1/654321/",
    "https://m.charter97.org/ru/news/2026/10/1/654321/",
    "https://www.charter97.org/ru/news/2026/10/1/654321/",
    "http://charter97.org/ru/news/2026/10/1/654321/",
    f"{RUN_BASE}/ru/news/2026/10/1/654321/",
])
def test_an_article_link_is_one_the_fetch_guard_lets_through(url: str) -> None:
    """One notion of an outlet's hosts: what counts as its article may also be fetched, so a
    redirect to its amp. host is not refused as offsite."""
    from crawler.hostguard import Origins

    assert article_ref(CHARTER97, url) is not None
    assert CHARTER97.serves(url)
    assert Origins.of(CHARTER97).refusal(url) is None


@pytest.mark.parametrize("url", [
    "https://charter97.org:8443/ru/news/2026/10/1/654321/",  # the outlet's name, another port
    "http://127.0.0.1/ru/news/2026/10/1/654321/",  # the run's host, another port
    "https://charter97.org.evil.example/ru/news/2026/10/1/654321/",
])
def test_what_the_guard_refuses_is_no_article_either(url: str) -> None:
    from crawler.hostguard import Origins

    assert article_ref(CHARTER97, url) is None
    assert Origins.of(CHARTER97).refusal(url) is not None
