"""Extraction on hand-made pages: rejections with reasons, the fallback, the English header clock."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.extraction.extract import Rejected, extract_article
from crawler.sources import load_sources
from storage.records import Article

SOURCES = load_sources()
C97 = SOURCES["charter97"]
POZ = SOURCES["pozirk"]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
C97_URL = "https://charter97.org/en/news/2026/9/1/690001/"


def _c97_page(body: str, header: str = "") -> str:
    return (f"<html><head><title>T - Charter'97</title></head><body><header>{header}</header>"
            f"<div class='l-main'><article class='article'>{body}</article></div></body></html>")


def test_english_header_clock_is_not_the_publication_time() -> None:
    page = _c97_page(
        "<h1>Minsk and Beijing talk</h1><span class='article__date'>01.09.2026, 01:15</span>"
        "<p><strong>Lead here.</strong></p><p>Body text of the article.</p>",
        header="<div class='header__date'>23 November 2026, Monday, 15:08</div>",
    )
    got = extract_article(page, C97_URL, C97, NOW)
    assert isinstance(got, Article)
    assert got.published_at == datetime(2026, 8, 31, 22, 15, tzinfo=UTC)


def test_no_date_anywhere_gives_none_not_the_clock() -> None:
    page = _c97_page("<h1>Title</h1><p>Body only.</p>",
                     header="<div class='header__date'>23 November 2026, Monday, 15:08</div>")
    got = extract_article(page, C97_URL, C97, NOW)
    assert isinstance(got, Article)
    assert got.published_at is None


def test_empty_page_is_rejected_with_its_reason() -> None:
    assert extract_article("  ", C97_URL, C97, NOW) == Rejected("empty-page", C97_URL)


def test_page_without_title_is_rejected() -> None:
    got = extract_article("<html><body><p>x</p></body></html>", C97_URL, C97, NOW)
    assert isinstance(got, Rejected) and got.reason == "no-title"


def test_foreign_url_is_rejected() -> None:
    got = extract_article(_c97_page("<h1>x</h1><p>y</p>"), "https://example.org/a", C97, NOW)
    assert isinstance(got, Rejected) and got.reason == "not-article-url"


def test_fallback_extractor_reads_a_redesigned_page() -> None:
    paragraphs = [
        f"Paragraph {i} of a redesigned page explains the new trade agreement between Minsk "
        f"and Beijing in enough words for a main-text extractor to keep it." for i in range(6)
    ]
    page = ("<html><head><title>Redesign | Pozirk</title></head><body><div class='new-layout'>"
            "<h2>Redesign</h2>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></body></html>")
    got = extract_article(page, "https://pozirk.online/ru/news/202500", POZ, NOW)
    assert isinstance(got, Article)
    assert got.extractor == "fallback"
    assert got.title == "Redesign"
    assert got.paragraphs[0] == paragraphs[0]


def test_typographic_variants_share_a_text_hash() -> None:
    a = _c97_page("<h1>A</h1><p>«Калий» — главный товар.</p>")
    b = _c97_page("<h1>B</h1><p>\"калий\"  -  главный   товар.</p>")
    got_a = extract_article(a, C97_URL, C97, NOW)
    got_b = extract_article(b, C97_URL, C97, NOW)
    assert isinstance(got_a, Article) and isinstance(got_b, Article)
    assert got_a.text_hash == got_b.text_hash
