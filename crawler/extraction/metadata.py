"""What a page says about itself: JSON-LD, OpenGraph and other meta tags, <time>, canonical.

The generic reader's sources for the fields an outlet's selectors do not give. Each
function returns the value with the name of where it was found (the values stored in
`articles.field_sources`), or None. Pure: an lxml document in, strings out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import lxml.html

from crawler.extraction.textnorm import clean_text

# schema.org types whose headline and dates are the article's own (not a site's WebPage).
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting",
    "LiveBlogPosting", "Report", "SocialMediaPosting", "TechArticle", "ScholarlyArticle",
})
# Meta tags naming the publication time, most specific first.
DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datePublished", "pubdate", "publishdate", "publish-date", "publish_date", "date",
    "dc.date.issued", "dcterms.created", "dc.date", "parsely-pub-date", "sailthru.date",
    "article.published", "cxenseparse:recs:publishtime",
)
AUTHOR_META = ("author", "article:author", "og:article:author", "parsely-author", "dc.creator",
               "sailthru.author", "byl")

Found = tuple[str, str]  # (value, where it came from)


def json_ld_articles(doc: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """The article objects of the page's JSON-LD blocks (inside @graph and lists too);
    a block that is not valid JSON is skipped."""
    found: list[dict[str, Any]] = []
    for script in doc.xpath("//script[@type='application/ld+json']"):
        text = (script.text or "").strip().removeprefix("<!--").removesuffix("-->").strip()
        try:
            data = json.loads(text)
        except ValueError:
            continue
        found.extend(obj for obj in _objects(data) if _is_article(obj))
    return found


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _objects(data["@graph"], depth + 1)
        if isinstance(data.get("mainEntity"), dict | list):
            yield from _objects(data["mainEntity"], depth + 1)


def _is_article(obj: dict[str, Any]) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k in ARTICLE_TYPES for k in kinds)


def json_ld_text(articles: list[dict[str, Any]], key: str) -> str | None:
    """The first non-empty string under `key` among the JSON-LD article objects."""
    for obj in articles:
        value = obj.get(key)
        if isinstance(value, str) and clean_text(value):
            return clean_text(value)
    return None


def json_ld_author(articles: list[dict[str, Any]]) -> str | None:
    """The names of the first JSON-LD article's authors (people or organisations), joined."""
    for obj in articles:
        names = [n for n in (_name(a) for a in _as_list(obj.get("author"))) if n]
        if names:
            return ", ".join(dict.fromkeys(names))
    return None


def json_ld_image(articles: list[dict[str, Any]]) -> str | None:
    """The URL of the first JSON-LD article's image (a URL, an ImageObject, or a list)."""
    for obj in articles:
        for image in _as_list(obj.get("image")):
            url = image.get("url") if isinstance(image, dict) else image
            if isinstance(url, str) and url.strip():
                return url.strip()
    return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return clean_text(value["name"]) or None
    return None


def meta(doc: lxml.html.HtmlElement, *names: str) -> str | None:
    """The content of the first meta tag named (property=, name= or itemprop=) any of
    `names`, in the order given; names compare case-insensitively."""
    wanted = {n.lower(): i for i, n in enumerate(names)}
    best: tuple[int, str] | None = None
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        rank = wanted.get(key)
        value = clean_text(el.get("content") or "")
        if rank is not None and value and (best is None or rank < best[0]):
            best = (rank, value)
    return best[1] if best else None


def time_datetime(root: lxml.html.HtmlElement) -> str | None:
    """The datetime of the element marked as the publication time (itemprop, pubdate, a
    class saying so), else of the first <time datetime> in the article, else in the page."""
    marked = root.xpath(
        "//*[@itemprop='datePublished'][@datetime or @content]"
        " | //time[@pubdate][@datetime]"
        " | //time[@datetime][contains(@class, 'publish') or contains(@class, 'pubdate')]"
    )
    for el in marked:
        value = (el.get("datetime") or el.get("content") or "").strip()
        if value:
            return value
    for scope in ("//article//time[@datetime]", "//main//time[@datetime]", "//time[@datetime]"):
        for el in root.xpath(scope):
            value = str(el.get("datetime", "")).strip()
            if len(value) >= 10:  # a date at least, not a duration or a bare year
                return value
    return None


def first_heading(doc: lxml.html.HtmlElement) -> str | None:
    """The text of the article's <h1> (inside <article> or <main> where there is one)."""
    for scope in ("//article//h1", "//main//h1", "//h1"):
        for el in doc.xpath(scope):
            text = clean_text(el.text_content())
            if text:
                return text
    return None


def article_image(doc: lxml.html.HtmlElement) -> str | None:
    """The src of the first image inside the page's <article>."""
    for el in doc.xpath("//article//img[@src]"):
        src = str(el.get("src", "")).strip()
        if src and not src.startswith("data:"):
            return src
    return None


def title_tag(doc: lxml.html.HtmlElement) -> str | None:
    found = doc.find(".//title")
    return (clean_text(found.text_content()) or None) if found is not None else None


def canonical_link(doc: lxml.html.HtmlElement) -> Found | None:
    """The page's own idea of its URL: <link rel=canonical>, else og:url."""
    for el in doc.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").strip():
            return el.get("href", "").strip(), "link-canonical"
    og = meta(doc, "og:url")
    return (og, "meta") if og else None


def site_name(doc: lxml.html.HtmlElement) -> str | None:
    return meta(doc, "og:site_name", "application-name")


def strip_site_name(title: str, names: tuple[str, ...]) -> str:
    """A title without a trailing or leading " | Site", " - Site", " — Site" naming the site."""
    for name in (n.strip() for n in names if n and n.strip()):
        for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
            if title.endswith(sep + name):
                return title[: -len(sep + name)].rstrip()
            if title.startswith(name + sep):
                return title[len(name + sep):].lstrip()
    return title
