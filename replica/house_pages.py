"""One renderer for the outlets whose pages the replica builds from a house style (data in
`replica/houses.py`): article pages, RSS feeds, listing pages, and the odd pages real sites
have (comment pages with no text, AMP copies).

Each house says which metadata its pages carry (JSON-LD, OpenGraph, a `<time>` element, an
author meta tag), where the text stands (the class of the element around the paragraphs)
and how its editions are found (feeds, listings, an edition on a host of its own).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime
from urllib.parse import parse_qs

from replica.corpus import ReplicaArticle
from replica.pages import (
    RSS,
    PageRequest,
    Response,
    day_month_year,
    esc,
    has_next_page,
    hh_mm,
    html_page,
    in_lang,
    others,
    page_of,
)

METADATA = frozenset({"json-ld", "og", "time", "author-meta", "byline"})
# The pages' own words (menus, headings), by edition.
LABELS: dict[str, dict[str, str]] = {
    "ru": {"search": "Поиск", "about": "О нас", "related": "Читайте также",
           "comments": "Комментарии", "no-comments": "Комментариев пока нет.",
           "news": "Новости", "next": "Дальше"},
    "be": {"search": "Пошук", "about": "Пра нас", "related": "Чытайце таксама",
           "comments": "Каментары", "no-comments": "Каментароў пакуль няма.",
           "news": "Навіны", "next": "Далей"},
    "be_latn": {"search": "Pošuk", "about": "Pra nas", "related": "Čytajcie taksama",
                "comments": "Kamientary", "no-comments": "Kamientaroŭ pakul niama.",
                "news": "Naviny", "next": "Dalej"},
    "en": {"search": "Search", "about": "About us", "related": "Read also",
           "comments": "Comments", "no-comments": "No comments yet.",
           "news": "News", "next": "Next"},
}



@dataclass(frozen=True)
class House:
    """How one outlet's site is built, as far as SITES.md knows it (the rest plausible)."""

    outlet: str
    name: str  # the site's name: in <title> after the headline, og:site_name
    canonical: Mapping[str, str]  # edition -> its public base URL, for canonical links
    feeds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # edition -> paths
    listings: Mapping[str, str] = field(default_factory=dict)  # edition -> "...{page}..."
    own_hosts: Mapping[str, str] = field(default_factory=dict)  # edition -> server key
    metadata: frozenset[str] = frozenset({"json-ld", "og", "time"})
    title_open: str = "<h1>"
    body_open: str = '<div class="article-text">'
    image_open: str = "<figure>"
    image_close: str = "</figure>"
    article_open: str = '<article class="article">'
    listing_class: str = "news-list"
    words: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: LABELS)
    comment_pages: bool = False  # "/<path>/comments": a page of comments, no article text
    amp_pages: bool = False  # "/<path>/amp": the same article as an AMP page
    html_lang: Mapping[str, str] = field(default_factory=dict)  # edition -> <html lang>

    def __post_init__(self) -> None:
        unknown = self.metadata - METADATA
        if unknown:
            raise ValueError(f"house {self.outlet}: unknown metadata {sorted(unknown)}")

    def serves(self, edition: str, host_key: str) -> bool:
        """Whether the server keyed `host_key` serves `edition` ("belta.be": BelTA's be)."""
        return self.own_hosts.get(edition, self.outlet) == host_key

    def label(self, lang: str, key: str) -> str:
        return self.words.get(lang, self.words.get("ru", {})).get(key, key)


def route(house: House, host_key: str, request: PageRequest,
          articles: Sequence[ReplicaArticle]) -> Response | None:
    """Answer a path of `house` on the server keyed `host_key`, or None when it is not one."""
    mine = [a for a in articles if house.serves(a.lang, host_key)]
    path = request.path
    for lang, paths in house.feeds.items():
        if path in paths and house.serves(lang, host_key):
            return feed(house, in_lang(mine, lang), lang, request.base_url)
    for lang, template in house.listings.items():
        number = _listing_number(template, path, request.query)
        if number is not None and house.serves(lang, host_key):
            return listing_page(house, in_lang(mine, lang), lang, number)
    for article in mine:
        if path == article.path:
            return html_page(article_page(house, article, mine))
        if house.comment_pages and path == article.path.rstrip("/") + "/comments":
            return html_page(comments_page(house, article))
        if house.amp_pages and path == article.path.rstrip("/") + "/amp":
            return html_page(article_page(house, article, mine, amp=True))
    return None


def _listing_number(template: str, path: str, query: str) -> int | None:
    """The page number a listing request asks for, or None when it is not that listing."""
    if "?" in template:
        listing_path, listing_query = template.split("?", 1)
        if path != listing_path:
            return None
        key = listing_query.split("=", 1)[0]
        values = parse_qs(query).get(key, ["1"])
        return int(values[0]) if values[0].isdigit() and int(values[0]) > 0 else None
    pattern = "^" + re.escape(template).replace(re.escape("{page}"), r"(\d+)") + "$"
    match = re.match(pattern, path)
    return int(match[1]) if match and int(match[1]) > 0 else None


def _shell(house: House, lang: str, title: str, head: str, main: str) -> str:
    html_lang = house.html_lang.get(lang, lang.split("_")[0])
    nav = " ".join(
        f'<a href="{esc(_first_listing(house, other))}">{esc(other)}</a>'
        for other in house.listings if house.serves(other, house.own_hosts.get(lang, house.outlet))
    )
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>{head}</head><body>\n"
        f'<header class="site-header"><a class="logo" href="/">{esc(house.name)}</a>'
        f'<nav class="menu">{nav} <a href="/search/">{esc(house.label(lang, "search"))}</a>'
        "</nav></header>\n"
        f'<main class="site-main">{main}</main>\n'
        f'<footer class="site-footer"><span>© {esc(house.name)}</span> '
        f'<a href="/about/">{esc(house.label(lang, "about"))}</a></footer>\n</body></html>\n'
    )


def _first_listing(house: House, lang: str) -> str:
    return house.listings[lang].format(page=1)


def article_page(house: House, article: ReplicaArticle, articles: Sequence[ReplicaArticle],
                 amp: bool = False) -> str:
    canonical = house.canonical[article.lang] + article.path
    iso = article.published.isoformat()
    head = [f'<link rel="canonical" href="{esc(canonical)}">',
            f'<meta name="description" content="{esc(article.lead)}">']
    if "og" in house.metadata:
        head += [
            f'<meta property="og:title" content="{esc(article.title)}">',
            f'<meta property="og:site_name" content="{esc(house.name)}">',
            f'<meta property="og:url" content="{esc(canonical)}">',
            f'<meta property="og:description" content="{esc(article.lead)}">',
            f'<meta property="article:published_time" content="{iso}">',
        ]
        if article.image:
            head.append(f'<meta property="og:image" content="{esc(article.image)}">')
    if "author-meta" in house.metadata and article.author:
        head.append(f'<meta name="author" content="{esc(article.author)}">')
    if "json-ld" in house.metadata:
        head.append(_json_ld(house, article, canonical))
    meta_line = ""
    stamp = f"{day_month_year(article.published, _month_lang(article.lang))}, {hh_mm(article.published)}"
    if "time" in house.metadata:
        meta_line += f'<time datetime="{iso}">{esc(stamp)}</time>'
    else:
        meta_line += f'<span class="date">{esc(stamp)}</span>'
    if article.author and "byline" in house.metadata:
        meta_line += f' <a rel="author" class="author" href="/authors/">{esc(article.author)}</a>'
    image = ""
    if article.image:
        image = f'{house.image_open}<img src="{esc(article.image)}" alt="">{house.image_close}'
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in (article.lead, *article.body))
    main = (
        f"{house.article_open}\n{house.title_open}{esc(article.title)}</h1>\n"
        f'<div class="article-meta">{meta_line}</div>\n{image}\n'
        f"{house.body_open}\n{paragraphs}\n</div>\n</article>\n"
        f"{_related(house, article, articles)}"
    )
    if amp:
        head.insert(0, '<meta name="amp" content="1">')
    return _shell(house, article.lang, f"{article.title} | {house.name}", "".join(head), main)


def _month_lang(lang: str) -> str:
    return "be" if lang.startswith("be") else lang if lang in ("ru", "en") else "ru"


def _json_ld(house: House, article: ReplicaArticle, canonical: str) -> str:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "mainEntityOfPage": canonical,
        "publisher": {"@type": "Organization", "name": house.name},
    }
    if article.author:
        data["author"] = [{"@type": "Person", "name": article.author}]
    if article.image:
        data["image"] = article.image
    # "</" must not end the script early: JSON allows "<\/".
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _related(house: House, article: ReplicaArticle, articles: Sequence[ReplicaArticle]) -> str:
    links = "".join(
        f'<li><a href="{esc(other.path)}">{esc(other.title)}</a></li>'
        for other in others(articles, article, 3)
    )
    return (f'<aside class="related"><h2>{esc(house.label(article.lang, "related"))}</h2>'
            f"<ul>{links}</ul></aside>")


def comments_page(house: House, article: ReplicaArticle) -> str:
    """A page of readers' comments under an article: its title, no text of its own."""
    main = (
        f'<section class="comments"><h1>{esc(house.label(article.lang, "comments"))}: '
        f'{esc(article.title)}</h1><p class="comments-empty">'
        f'{esc(house.label(article.lang, "no-comments"))}</p>'
        f'<a href="{esc(article.path)}">{esc(article.title)}</a></section>'
    )
    return _shell(house, article.lang, f"{house.label(article.lang, 'comments')} | {house.name}",
                  "", main)


def listing_page(house: House, articles: Sequence[ReplicaArticle], lang: str,
                 number: int) -> Response | None:
    """Listing page `number` of one edition: 20 newest-first links; None past the end."""
    page = page_of(articles, number)
    if page is None:
        return None
    items = []
    for i, article in enumerate(page):
        href = article.path
        if house.amp_pages and i % 3 == 1:
            href = article.path.rstrip("/") + "/amp"  # some links lead to the AMP copy
        item = (f'<div class="{house.listing_class}__item"><span class="time">'
                f'{hh_mm(article.published)}</span> <a class="{house.listing_class}__link" '
                f'href="{esc(href)}">{esc(article.title)}</a>')
        if house.comment_pages:
            item += (f' <a class="comments-link" href="{esc(article.path.rstrip("/"))}/comments">'
                     f'{esc(house.label(lang, "comments"))}</a>')
        items.append(item + "</div>")
    main = (f'<h1>{esc(house.label(lang, "news"))}</h1>\n<div class="{house.listing_class}">\n'
            + "\n".join(items) + "\n</div>")
    if has_next_page(articles, number):
        main += (f'\n<nav class="pager"><a class="pager__next" '
                 f'href="{esc(house.listings[lang].format(page=number + 1))}">'
                 f'{esc(house.label(lang, "next"))}</a></nav>')
    return html_page(_shell(house, lang, f"{house.label(lang, 'news')} | {house.name}", "", main))


def feed(house: House, articles: Sequence[ReplicaArticle], lang: str, base_url: str) -> Response:
    """An RSS 2.0 feed of the edition's 20 newest articles, linked on this host."""
    items = "".join(
        f"<item><title>{esc(a.title)}</title><link>{esc(base_url + a.path)}</link>"
        f'<guid isPermaLink="true">{esc(base_url + a.path)}</guid>'
        f"<pubDate>{format_datetime(a.published)}</pubDate>"
        f"<description>{esc(a.lead)}</description></item>\n"
        for a in articles[:20]
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{esc(house.name)}</title><link>{esc(house.canonical[lang])}/</link>"
        f"<description>{esc(house.name)}</description><language>{lang.split('_')[0]}"
        f"</language>\n{items}</channel></rss>\n"
    )
    return Response(200, RSS, body.encode("utf-8"))
