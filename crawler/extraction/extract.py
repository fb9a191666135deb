"""Article extraction: one page's HTML in, an Article or a Rejected(reason) out. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.extraction import dates, metadata
from crawler.extraction.language import detect_language
from crawler.extraction.maintext import main_text_paragraphs
from crawler.extraction.textnorm import clean_text, text_hash
from crawler.extraction.urls import article_ref, on_canonical_host
from crawler.sources import ExtractRules, Source
from storage.records import Article

BYLINE = "[itemprop='author'] [itemprop='name'], [itemprop='author'], a[rel='author']"
# A publication time later than this after the fetch is a broken page, not a clock skew.
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class Rejected:
    """A page that yields no article, and why."""

    reason: str
    url: str
    detail: str = ""


def extract_article(html: str, url: str, source: Source, fetched_at: datetime) -> Article | Rejected:
    """Read one fetched page of `source` into an Article, or say why it is not one."""
    ref = article_ref(source, url)
    if ref is None:
        return Rejected("not-article-url", url)
    if not html.strip():
        return Rejected("empty-page", url)
    # huge_tree: libxml2 stops at 256 levels otherwise, and bloated pages nest deeper.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        doc = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        return Rejected("unparseable", url, str(exc)[:200])
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # The parser gave up part-way (thousands of nested elements): what follows is lost.
        return Rejected("too-deep", url, str(parser.error_log[0].message)[:200])
    rules = source.extract
    found = _first(doc, rules.container)
    container = doc if found is None else found
    sources: dict[str, str] = {}
    ld = metadata.json_ld_articles(doc)
    title = _title(doc, container, rules, ld, sources)
    if not title:
        return Rejected("no-title", url)
    published = _published(doc, container, rules, ld, html, sources)
    if published is not None and published > _utc(fetched_at) + FUTURE_TOLERANCE:
        return Rejected("future-date", url, published.isoformat())
    author = _author(doc, container, rules, ld, sources)
    image = _image(doc, container, rules, ld, url, sources)
    image = on_canonical_host(source, image) if image else None
    _drop_noise(container, rules.noise)
    lead_el = _first(container, rules.lead) if rules.lead else None
    lead = _text(lead_el) or None
    if lead:
        sources["lead"] = "selector"
    if rules.body is None and rules.container is None:
        # A generic outlet: no selector says where the text is, the main-text extractor does.
        paragraphs, extractor = _fallback(html, rules, title, lead), "generic"
    else:
        paragraphs, extractor = _paragraphs(container, rules, lead_el), "selectors"
        if not paragraphs:
            paragraphs, extractor = _fallback(html, rules, title, lead), "fallback"
    if not paragraphs:
        return Rejected("no-body", url)
    sources["body"] = "selector" if extractor == "selectors" else "main-text"
    if lead is None:
        lead, paragraphs = _described_lead(doc, paragraphs, sources)
    sample = " ".join((title, lead or "", *paragraphs))
    language = detect_language(sample, hint=source.edition(ref.lang).language_hint)
    sources["language"] = "detected"  # the edition's language only breaks a tie
    canonical = _canonical(doc, source, url, ref.url, sources)
    return Article(
        outlet=source.id,
        edition=ref.lang,
        language=language,
        url=canonical,
        fetched_url=url,
        outlet_article_id=ref.outlet_article_id,
        title=title,
        lead=lead,
        paragraphs=paragraphs,
        author=author or None,
        published_at=published,
        fetched_at=fetched_at,
        image_url=image,
        text_hash=text_hash(((lead or ""), *paragraphs)),
        extractor=extractor,
        field_sources=sources,
    )


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@lru_cache(maxsize=256)
def _selector(css: str) -> CSSSelector:
    return CSSSelector(css)


def _all(root: lxml.html.HtmlElement, css: str | None) -> list[lxml.html.HtmlElement]:
    return list(_selector(css)(root)) if css else []


def _first(root: lxml.html.HtmlElement, css: str | None) -> lxml.html.HtmlElement | None:
    found = _all(root, css)
    return found[0] if found else None


def _text(el: lxml.html.HtmlElement | None) -> str:
    return clean_text(el.text_content()) if el is not None else ""


def _title(
    doc: lxml.html.HtmlElement, container: lxml.html.HtmlElement, rules: ExtractRules,
    ld: list[dict[str, Any]], sources: dict[str, str],
) -> str:
    """The selector's title, else the page's visible headline where its metadata agrees,
    else JSON-LD, OpenGraph, the headline anyway, the <title> tag (site name stripped)."""
    names = (*rules.title_suffixes, *filter(None, [metadata.site_name(doc)]))
    selected = _text(_first(container, rules.title)) if rules.title else ""
    if selected:
        sources["title"] = "selector"
        return _strip_suffixes(selected, names)
    told = [
        (metadata.json_ld_text(ld, "headline"), "json-ld"),
        (metadata.meta(doc, "og:title", "twitter:title"), "meta"),
        (metadata.title_tag(doc), "title-tag"),
    ]
    heading = metadata.first_heading(doc)
    agrees = heading is not None and (
        not any(value for value, _ in told) or any(_overlap(heading, v) for v, _ in told if v)
    )
    for value, where in [(heading if agrees else None, "h1"), *told[:2], (heading, "h1"), told[2]]:
        if value:
            sources["title"] = where
            return _strip_suffixes(value, names)
    return ""


def _overlap(heading: str, other: str) -> bool:
    """Whether most of a headline's words are in another title (its metadata agreeing)."""
    words = heading.lower().split()
    theirs = set(other.lower().split())
    return len(words) == 1 and words[0] in other.lower() or (
        sum(w in theirs for w in words) * 2 >= len(words) > 1
    )


def _strip_suffixes(title: str, names: tuple[str, ...]) -> str:
    for suffix in names:
        if title.endswith(suffix.strip()) and len(title) > len(suffix.strip()):
            return title[: len(title) - len(suffix.strip())].rstrip(" -|–—_")
    return metadata.strip_site_name(title, names)


def _published(
    doc: lxml.html.HtmlElement, container: lxml.html.HtmlElement, rules: ExtractRules,
    ld: list[dict[str, Any]], html: str, sources: dict[str, str],
) -> datetime | None:
    """The selector's time or stamp, else the page's metadata (JSON-LD, meta tags,
    <time datetime>), else, for an outlet with no date rules, what a date finder reads in
    the page."""
    for el in _all(container, rules.date) + _all(doc, rules.date):
        found = _date_of(el, rules)
        if found is not None:
            sources["published_at"] = "selector"
            return found
    if rules.date_pattern:
        # The stamp stands in the text after the title even where no selector finds it.
        found = dates.from_stamp(container.text_content(), rules.date_pattern)
        if found is not None:
            sources["published_at"] = "stamp"
            return found
    told: list[tuple[Callable[[], str | None], str]] = [
        (lambda: metadata.json_ld_text(ld, "datePublished"), "json-ld"),
        (lambda: metadata.meta(doc, *metadata.DATE_META), "meta"),
        (lambda: metadata.time_datetime(doc), "time"),
    ]
    for look, where in told:  # looked up in turn, only until one answers
        value = look()
        found = dates.from_metadata(value) if value else None
        if found is not None:
            sources["published_at"] = where
            return found
    if rules.date or rules.date_pattern:
        return None  # the outlet says where its time is: guessing would find a header clock
    found = dates.find_in_page(html)
    if found is not None:
        sources["published_at"] = "htmldate"
    return found


def _date_of(el: lxml.html.HtmlElement, rules: ExtractRules) -> datetime | None:
    if rules.date_attribute:
        value = el.get("datetime") or el.get("content")
        if value:
            return dates.from_iso(value)
    text = _text(el)
    if not text:
        return None
    if rules.date_pattern:
        found = dates.from_stamp(text, rules.date_pattern)
        if found is not None:
            return found
    return dates.from_text(text)


def _author(
    doc: lxml.html.HtmlElement, container: lxml.html.HtmlElement, rules: ExtractRules,
    ld: list[dict[str, Any]], sources: dict[str, str],
) -> str | None:
    """The selector's author, else JSON-LD's, else the author meta tag or byline markup."""
    told: list[tuple[Callable[[], str | None], str]] = [
        (lambda: _text(_first(container, rules.author)) if rules.author else None, "selector"),
        (lambda: metadata.json_ld_author(ld), "json-ld"),
        (lambda: metadata.meta(doc, *metadata.AUTHOR_META), "meta"),
        (lambda: _text(_first(doc, BYLINE)), "byline"),
    ]
    for look, where in told:  # looked up in turn, only until one answers
        value = look()
        if value and not value.startswith(("http://", "https://")):
            sources["author"] = where
            return value
    return None


def _image(
    doc: lxml.html.HtmlElement, container: lxml.html.HtmlElement, rules: ExtractRules,
    ld: list[dict[str, Any]], url: str, sources: dict[str, str],
) -> str | None:
    """The selector's image, else og:image, else JSON-LD's, else the first in <article>."""
    img = _first(container, rules.image)
    src: str | None = img.get("src") if img is not None else None
    where = "selector"
    if not src:
        src, where = metadata.meta(doc, "og:image", "twitter:image"), "meta"
    if not src:
        src, where = metadata.json_ld_image(ld), "json-ld"
    if not src:
        src, where = metadata.article_image(doc), "img"
    if not src:
        return None
    sources["image_url"] = where
    return urljoin(url, src)


def _described_lead(
    doc: lxml.html.HtmlElement, paragraphs: tuple[str, ...], sources: dict[str, str]
) -> tuple[str | None, tuple[str, ...]]:
    """The lead of a page whose selectors name none: its first paragraph, when the page's
    description says the same (a standfirst), and the paragraphs after it."""
    description = metadata.meta(doc, "og:description", "description", "twitter:description")
    if len(paragraphs) < 2 or not description:
        return None, paragraphs
    first = paragraphs[0]
    if first == description or (len(description) > 40 and first.startswith(description.rstrip(".…"))):
        sources["lead"] = "description"
        return first, paragraphs[1:]
    return None, paragraphs


def _canonical(
    doc: lxml.html.HtmlElement, source: Source, url: str, ref_url: str, sources: dict[str, str]
) -> str:
    """The URL the page names as its own (<link rel=canonical>, og:url) when it is an
    article of this outlet, else the one the link it was fetched by resolves to."""
    named = metadata.canonical_link(doc)
    if named is not None:
        ref = article_ref(source, named[0], url)
        if ref is not None:
            sources["url"] = named[1]
            return ref.url
    sources["url"] = "url"
    return ref_url


def _drop_noise(container: lxml.html.HtmlElement, noise: tuple[str, ...]) -> None:
    for css in noise:
        for el in _all(container, css):
            if el.getparent() is not None:
                el.drop_tree()


def _paragraphs(
    container: lxml.html.HtmlElement,
    rules: ExtractRules,
    lead_el: lxml.html.HtmlElement | None,
) -> tuple[str, ...]:
    root = _first(container, rules.body) if rules.body else container
    if root is None:
        return ()
    skip = set(lead_el.iterancestors()) | {lead_el} if lead_el is not None else set()
    kept = []
    for el in _all(root, rules.paragraphs):
        if el in skip or any(True for _ in el.iterancestors("p")):
            continue
        text = _text(el)
        if text and not _is_noise(text, rules):
            kept.append(text)
    return tuple(kept)


def _is_noise(text: str, rules: ExtractRules) -> bool:
    return any(phrase in text for phrase in rules.noise_phrases)


def _fallback(html: str, rules: ExtractRules, title: str, lead: str | None) -> tuple[str, ...]:
    skip = {title, lead}
    return tuple(
        p for p in main_text_paragraphs(html) if p not in skip and not _is_noise(p, rules)
    )
