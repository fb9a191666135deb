"""Pozirk as the replica serves it: article pages and listing pages (it has no feed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qs

from replica.corpus import ReplicaArticle
from replica.pages import (
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

CANONICAL = "https://pozirk.online"
_ARTICLE_RE = re.compile(r"^/(ru|be)/news/(\d+)/?$")
_LISTING_RE = re.compile(r"^/(ru|be)/news/?$")

NOISE = {
    "ru": {
        "news": "Новости", "analytics": "Аналитика", "share": "Поделиться:",
        "donate": "Поддержите Pozirk", "give": "пожертвовать", "next": "Далее",
        "related": "Читайте также",
    },
    "be": {
        "news": "Навіны", "analytics": "Аналітыка", "share": "Падзяліцца:",
        "donate": "Падтрымайце Pozirk", "give": "ахвяраваць", "next": "Далей",
        "related": "Чытайце таксама",
    },
}


def route(request: PageRequest, articles: Sequence[ReplicaArticle]) -> Response | None:
    """Answer a Pozirk path from newest-first articles, or None when it is not ours."""
    path, query = request.path, request.query
    if match := _ARTICLE_RE.match(path):
        lang, ident = match[1], int(match[2])
        found = [a for a in articles if a.id == ident and a.lang == lang]
        return article_page(found[0], articles) if found else None
    if match := _LISTING_RE.match(path):
        number = _page_number(query)
        return listing_page(articles, match[1], number) if number else None
    return None


def _page_number(query: str) -> int | None:
    """`?page=N` (absent: 1); None when the value is not a page number."""
    values = parse_qs(query).get("page", ["1"])
    return int(values[0]) if values[0].isdigit() else None


def _shell(lang: str, title: str, head: str, main: str) -> str:
    text = NOISE[lang]
    menu = (
        f'<nav class="site-menu"><a href="/{lang}/news/">{text["news"]}</a> '
        f'<a href="/{lang}/analytics/">{text["analytics"]}</a> '
        '<a href="/ru/news/">RU</a> <a href="/be/news/">BE</a></nav>'
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(title)} | Pozirk</title>{head}</head><body>\n"
        f'<header class="site-header"><a class="site-logo" href="/{lang}/">Pozirk</a>{menu}'
        f'</header>\n<main class="site-main">{main}</main>\n'
        '<footer class="site-footer">© Pozirk</footer></body></html>\n'
    )


def article_page(article: ReplicaArticle, articles: Sequence[ReplicaArticle]) -> Response:
    iso = article.published.isoformat()
    head = (
        f'<link rel="canonical" href="{CANONICAL}{article.path}">'
        f'<meta property="og:title" content="{esc(article.title)}">'
        f'<meta property="article:published_time" content="{iso}">'
    )
    main = (
        '<article class="news-item" itemscope itemtype="https://schema.org/NewsArticle">\n'
        f"{_article_top(article)}\n{_article_body(article)}\n"
        f'<div class="tags"><a href="/{article.lang}/tag/{article.section}">'
        f"{esc(article.section)}</a></div>\n</article>\n{_related(article, articles)}"
    )
    return html_page(_shell(article.lang, article.title, head, main))


def _article_top(article: ReplicaArticle) -> str:
    moment = article.published
    stamp = f"{day_month_year(moment, article.lang)}, {hh_mm(moment)}"
    meta = f'<time itemprop="datePublished" datetime="{moment.isoformat()}">{stamp}</time>'
    if article.author:
        meta += f' <span class="news-item__author" itemprop="author">{esc(article.author)}</span>'
    parts = [
        f'<h1 class="news-item__title" itemprop="headline">{esc(article.title)}</h1>',
        f'<div class="news-item__meta">{meta}</div>',
        f'<div class="news-item__lead" itemprop="description"><p>{esc(article.lead)}</p></div>',
    ]
    if article.image:
        parts.append(
            '<figure class="news-item__image">'
            f'<img itemprop="image" src="{esc(article.image)}"></figure>'
        )
    return "\n".join(parts)


def _article_body(article: ReplicaArticle) -> str:
    text = NOISE[article.lang]
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in article.body)
    return (
        f'<div class="article-content" itemprop="articleBody">\n{paragraphs}\n'
        f'<div class="share">{text["share"]} <a href="https://facebook.com/sharer">Facebook</a>'
        f'</div>\n<p class="donate">{text["donate"]} — <a href="/donate">{text["give"]}</a></p>'
        "\n</div>"
    )


def _related(article: ReplicaArticle, articles: Sequence[ReplicaArticle]) -> str:
    links = "".join(
        f'<li><a href="{other.path}">{esc(other.title)}</a></li>'
        for other in others(articles, article, 3)
    )
    title = NOISE[article.lang]["related"]
    return f'<section class="related"><h2>{title}</h2><ul>{links}</ul></section>'


def listing_page(
    articles: Sequence[ReplicaArticle], lang: str, number: int
) -> Response | None:
    """`/{lang}/news/?page=N`: 20 newest-first items; None past the end."""
    same_lang = in_lang(articles, lang)
    page = page_of(same_lang, number)
    if page is None:
        return None
    items = "\n".join(_listing_item(a) for a in page)
    main = f'<h1>{NOISE[lang]["news"]}</h1>\n<div class="news-list">\n{items}\n</div>'
    if has_next_page(same_lang, number):
        main += (
            f'\n<nav class="pager"><a class="pager__next" href="/{lang}/news/?page={number + 1}">'
            f'{NOISE[lang]["next"]}</a></nav>'
        )
    return html_page(_shell(lang, NOISE[lang]["news"], "", main))


def _listing_item(article: ReplicaArticle) -> str:
    return (
        f'<div class="news-list__item"><a class="news-list__link" href="{article.path}">'
        f'<span class="news-list__time">{hh_mm(article.published)}</span> '
        f'<span class="news-list__title">{esc(article.title)}</span></a></div>'
    )
