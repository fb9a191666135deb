"""Article extraction: one page's HTML in, an Article or a Rejected(reason) out. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.extraction import dates
from crawler.extraction.language import detect_language
from crawler.extraction.maintext import main_text_paragraphs
from crawler.extraction.textnorm import clean_text, text_hash
from crawler.extraction.urls import article_ref, on_canonical_host
from crawler.sources import ExtractRules, Source
from storage.records import Article

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
    title = _title(doc, container, rules)
    if not title:
        return Rejected("no-title", url)
    published = _published(doc, container, rules)
    if published is not None and published > _utc(fetched_at) + FUTURE_TOLERANCE:
        return Rejected("future-date", url, published.isoformat())
    author = _text(_first(container, rules.author)) if rules.author else None
    image = _image(doc, container, rules, url)
    image = on_canonical_host(source, image) if image else None
    _drop_noise(container, rules.noise)
    lead_el = _first(container, rules.lead) if rules.lead else None
    lead = _text(lead_el) or None
    paragraphs = _paragraphs(container, rules, lead_el)
    extractor = "selectors"
    if not paragraphs:
        paragraphs = _fallback(html, rules, title, lead)
        extractor = "fallback"
    if not paragraphs:
        return Rejected("no-body", url)
    sample = " ".join((title, lead or "", *paragraphs))
    return Article(
        outlet=source.id,
        edition=ref.lang,
        language=detect_language(sample, hint=ref.lang),
        url=ref.url,
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


def _title(doc: lxml.html.HtmlElement, container: lxml.html.HtmlElement, rules: ExtractRules) -> str:
    title = _text(_first(container, rules.title))
    if not title:
        og = _first(doc, "meta[property='og:title']")
        title = clean_text(og.get("content", "")) if og is not None else ""
    if not title:
        title = _text(_first(doc, "title"))
    for suffix in rules.title_suffixes:
        if title.endswith(suffix.strip()) and len(title) > len(suffix):
            title = title[: len(title) - len(suffix.strip())].rstrip(" -|–—")
    return title


def _published(
    doc: lxml.html.HtmlElement, container: lxml.html.HtmlElement, rules: ExtractRules
) -> datetime | None:
    for el in _all(container, rules.date) + _all(doc, rules.date):
        found = _date_of(el, rules)
        if found is not None:
            return found
    if rules.date_pattern:
        # The stamp stands in the text after the title even where no selector finds it.
        return dates.from_stamp(container.text_content(), rules.date_pattern)
    return None


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


def _image(
    doc: lxml.html.HtmlElement, container: lxml.html.HtmlElement, rules: ExtractRules, url: str
) -> str | None:
    img = _first(container, rules.image)
    src = img.get("src") if img is not None else None
    if not src:
        og = _first(doc, "meta[property='og:image']")
        src = og.get("content") if og is not None else None
    return urljoin(url, src) if src else None


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
