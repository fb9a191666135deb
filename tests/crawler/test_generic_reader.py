"""The generic reader: an outlet with no selectors reads every field from the page's own
metadata and main text, and says where each came from. Pages written here for the test."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lxml.html
import pytest

from crawler.extraction.extract import extract_article
from crawler.extraction.metadata import json_ld_articles, meta, strip_site_name
from crawler.sources import Source, build_source, load_sources
from storage.records import Article

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BASE = "https://news.example.org"
SOURCE = build_source("myoutlet", {"name": "My Outlet", "base_url": BASE, "feeds": ["/rss"]})
URL = f"{BASE}/2026/11/rail-freight"
BODY = (
    "<p>The freight yard outside the city handled more containers this autumn than in any "
    "season since it opened, the operator said on Tuesday.</p>"
    "<p>Most of the trains came from the east and went on to ports in the north, with a "
    "stop of two days for customs checks and a change of wagons.</p>"
    "<p>Local firms complain that the yard's lorries block the ring road every morning, and "
    "the council has promised a new access road by the spring.</p>"
)
HEADLINE = "Freight yard has its busiest autumn"


def page(head: str, body: str = BODY, heading: str = HEADLINE) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        "<header><a class='logo' href='/'>Example News</a><nav><a href='/a'>World</a> "
        "<a href='/b'>Sport</a></nav></header>"
        f"<article><h1>{heading}</h1>{body}</article>"
        "<footer><p>Copyright Example News. All rights reserved.</p></footer></body></html>"
    )


def read(html: str, url: str = URL) -> Article:
    got = extract_article(html, url, SOURCE, NOW)
    assert isinstance(got, Article), got
    return got


def ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


def test_json_ld_gives_time_and_author_and_the_text_comes_from_the_main_text() -> None:
    got = read(page(
        ld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE,
            "datePublished": "2026-11-24T09:15:00+02:00",
            "author": [{"@type": "Person", "name": "Dana Novak"},
                       {"@type": "Person", "name": "Ivo Petrov"}]})
        + "<title>Freight yard has its busiest autumn | Example News</title>"
    ))
    assert got.title == HEADLINE
    assert got.published_at == datetime(2026, 11, 24, 7, 15, tzinfo=UTC)
    assert got.author == "Dana Novak, Ivo Petrov"
    assert got.extractor == "generic"
    assert got.paragraphs[0].startswith("The freight yard outside the city")
    assert "Copyright" not in got.body and "Sport" not in got.body
    assert got.language == "en"
    assert got.field_sources == {"title": "h1", "published_at": "json-ld", "author": "json-ld",
                                 "body": "main-text", "language": "detected", "url": "url"}


def test_json_ld_inside_a_graph_and_with_a_list_of_types() -> None:
    block = ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example News"},
        {"@type": ["NewsArticle", "Article"], "headline": "Inside the graph",
         "datePublished": "2026-10-02T18:00:00Z", "author": {"name": "R. Author"}},
    ]})
    doc = lxml.html.document_fromstring(f"<html><head>{block}</head><body></body></html>")
    found = json_ld_articles(doc)
    assert [a["headline"] for a in found] == ["Inside the graph"]
    got = read(page(block, heading=""))  # no headline on the page: JSON-LD's
    assert (got.title, got.field_sources["title"]) == ("Inside the graph", "json-ld")
    assert got.published_at == datetime(2026, 10, 2, 18, 0, tzinfo=UTC)


def test_broken_json_ld_is_skipped_and_open_graph_answers() -> None:
    got = read(page(
        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", </script>"
        f"<meta property='og:title' content='{HEADLINE} - Example News'>"
        "<meta property='og:site_name' content='Example News'>"
        "<meta property='article:published_time' content='2026-11-20T06:30:00+00:00'>"
        "<meta name='author' content='Mira Kos'>",
        heading="",
    ))
    assert (got.title, got.field_sources["title"]) == (HEADLINE, "meta")  # site name stripped
    assert (got.published_at, got.field_sources["published_at"]) == (
        datetime(2026, 11, 20, 6, 30, tzinfo=UTC), "meta")
    assert (got.author, got.field_sources["author"]) == ("Mira Kos", "meta")


def test_a_headline_the_metadata_disagrees_with_is_not_taken_for_the_title() -> None:
    # A section banner in <h1>, the article's real title in its metadata.
    got = read(page(f"<meta property='og:title' content='{HEADLINE}'>", heading="Regional news"))
    assert (got.title, got.field_sources["title"]) == (HEADLINE, "meta")


def test_time_element_then_title_tag() -> None:
    body = "<p class='meta'><time datetime='2026-09-05T14:30:00+03:00'>5 September</time></p>" + BODY
    got = read(f"<html><head><title>{HEADLINE} | Example News</title>"
               "<meta property='og:site_name' content='Example News'></head>"
               f"<body><main>{body}</main></body></html>")
    assert (got.title, got.field_sources["title"]) == (HEADLINE, "title-tag")
    assert (got.published_at, got.field_sources["published_at"]) == (
        datetime(2026, 9, 5, 11, 30, tzinfo=UTC), "time")


def test_no_metadata_date_falls_to_the_date_finder() -> None:
    body = "<p class='dateline'>Published 2026-11-18</p>" + BODY
    got = read(page("", body=body))
    assert got.published_at is not None and got.published_at.date().isoformat() == "2026-11-18"
    assert got.field_sources["published_at"] == "htmldate"


def test_a_description_the_page_repeats_is_the_lead() -> None:
    first = ("The freight yard outside the city handled more containers this autumn than in "
             "any season since it opened, the operator said on Tuesday.")
    got = read(page(f"<meta name='description' content='{first}'>"))
    assert got.lead == first
    assert not got.paragraphs[0].startswith("The freight yard")
    assert got.field_sources["lead"] == "description"
    # A description the page does not show is no lead: it would add words nobody reads there.
    other = read(page("<meta name='description' content='Containers, lorries and a ring road.'>"))
    assert other.lead is None


def test_canonical_link_on_the_outlets_host_is_the_url_and_elsewhere_is_ignored() -> None:
    own = read(page(f"<link rel='canonical' href='{BASE}/2026/11/rail-freight-yard'>"),
               url=f"{URL}?utm_source=feed")
    assert (own.url, own.field_sources["url"]) == (f"{BASE}/2026/11/rail-freight-yard",
                                                   "link-canonical")
    foreign = read(page("<link rel='canonical' href='https://aggregator.example.com/x/1'>"))
    assert (foreign.url, foreign.field_sources["url"]) == (URL, "url")


@pytest.mark.parametrize(("text", "expected"), [
    ("Headline | Example News", "Headline"),
    ("Example News - Headline", "Headline"),
    ("Headline — Example News", "Headline"),
    ("Headline about Example News", "Headline about Example News"),
])
def test_site_name_is_stripped_from_either_end(text: str, expected: str) -> None:
    assert strip_site_name(text, ("Example News",)) == expected


def test_meta_takes_the_first_name_in_order_not_in_the_page() -> None:
    doc = lxml.html.document_fromstring(
        "<html><head><meta name='date' content='2026-01-01'>"
        "<meta property='article:published_time' content='2026-02-02'></head></html>")
    assert meta(doc, "article:published_time", "date") == "2026-02-02"


def test_selectors_still_win_where_an_outlet_has_them() -> None:
    pozirk = extract_article(
        "<html><head><meta property='og:title' content='Other title'>"
        + ld({"@type": "NewsArticle", "headline": "Other", "author": "Someone Else"})
        + "</head><body><article><h1 class='news-item__title' itemprop='headline'>Мінск і Пекін"
        "</h1><div itemprop='articleBody'><p>Першы абзац тэксту пра супрацоўніцтва.</p>"
        "</div></article></body></html>",
        "https://pozirk.online/be/news/202999", build_pozirk(), NOW)
    assert isinstance(pozirk, Article), pozirk
    assert pozirk.title == "Мінск і Пекін" and pozirk.field_sources["title"] == "selector"
    assert pozirk.extractor == "selectors"
    assert pozirk.author == "Someone Else" and pozirk.field_sources["author"] == "json-ld"


def build_pozirk() -> Source:
    return load_sources()["pozirk"]


def test_a_page_read_twice_keeps_its_text() -> None:
    # A revision check reads the same page again; the main-text extractor must not drop
    # paragraphs it has seen before in this process.
    assert read(page("")).paragraphs == read(page("")).paragraphs
