"""Charter97 as the replica serves it: article pages, listing pages and RSS feeds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime

from replica.corpus import ReplicaArticle
from replica.pages import (
    MONTHS_GENITIVE,
    RSS,
    WEEKDAYS_EN,
    PageRequest,
    Response,
    esc,
    has_next_page,
    hh_mm,
    html_page,
    in_lang,
    others,
    page_of,
)

CANONICAL = "https://charter97.org"
FEED_LANGS = ("ru", "be")
_ARTICLE_RE = re.compile(r"^/(ru|be|en)/news/(\d{4})/(\d{1,2})/(\d{1,2})/(\d+)/?$")
_LISTING_RE = re.compile(r"^/(ru|be|en)/news/p/(\d+)/?$")
_EN_FRONT_RE = re.compile(r"^/en/news/?$")
_FEED_RE = re.compile(r"^/(ru|be)/rss/([a-z0-9-]+)/?$")

# Boilerplate the real site wraps around every article, per language.
NOISE = {
    "ru": {
        "site": "Хартия'97", "social": "Подписывайтесь на нас в соцсетях:",
        "subscribe": "Подпишитесь на рассылку новостей",
        "patreon": "Поддержите сайт «Хартия-97» на Patreon!",
        "opinion": "Мнение редакции может не совпадать с мнением автора",
        "account": "Войдите, чтобы комментировать", "write": "Написать комментарий",
        "most_read": "Самое читаемое", "ad": "Реклама", "news": "Новости",
    },
    "be": {
        "site": "Хартыя'97", "social": "Падпісвайцеся на нас у сацсетках:",
        "subscribe": "Падпішыцеся на рассылку навін",
        "patreon": "Падтрымайце сайт «Хартыя-97» на Patreon!",
        "opinion": "Меркаванне рэдакцыі можа не супадаць з меркаваннем аўтара",
        "account": "Увайдзіце, каб каментаваць", "write": "Напісаць каментар",
        "most_read": "Самае чытанае", "ad": "Рэклама", "news": "Навіны",
    },
    "en": {
        "site": "Charter'97", "social": "Follow us on social networks:",
        "subscribe": "Subscribe to our newsletter",
        "patreon": "Support Charter97 on Patreon!",
        "opinion": "The editorial opinion may not coincide with the author's opinion",
        "account": "Log in to comment", "write": "Write a comment",
        "most_read": "Most read", "ad": "Advertisement", "news": "News",
    },
}
# Reader comments and replies; one mentions China so leaked comments show up in theme matching.
COMMENTS = {
    "ru": (
        ("Опять обещания, ничего не изменится.", "Согласен, всё это мы уже слышали."),
        ("А Китай тут при чём? Всё решается в Москве.", "Китай своего не упустит."),
        ("Спасибо за материал!", "Поддерживаю."),
    ),
    "be": (
        ("Зноў абяцанні, нічога не зменіцца.", "Згодны, усё гэта мы ўжо чулі."),
        ("А пры чым тут Кітай? Усё вырашаецца ў Маскве.", "Кітай свайго не ўпусціць."),
        ("Дзякуй за матэрыял!", "Падтрымліваю."),
    ),
    "en": (
        ("Promises again, nothing will change.", "Agreed, we have heard it all before."),
        ("What does China have to do with it?", "China never misses its chance."),
        ("Thanks for the article!", "Seconded."),
    ),
}


def route(request: PageRequest, articles: Sequence[ReplicaArticle]) -> Response | None:
    """Answer a Charter97 path from newest-first articles, or None when it is not ours."""
    path, now = request.path, request.now
    if match := _ARTICLE_RE.match(path):
        lang, year, month, day, ident = match.groups()
        article = _find(articles, lang, int(ident), (int(year), int(month), int(day)))
        return article_page(article, articles, request.base_url, now) if article else None
    if match := _LISTING_RE.match(path):
        return listing_page(articles, match[1], int(match[2]), now)
    if _EN_FRONT_RE.match(path):
        return listing_page(articles, "en", 1, now)
    if match := _FEED_RE.match(path):
        return feed(articles, match[1], match[2], request.base_url)
    return None


def _find(
    articles: Sequence[ReplicaArticle], lang: str, ident: int, ymd: tuple[int, int, int]
) -> ReplicaArticle | None:
    for article in articles:
        d = article.published
        if article.id == ident and article.lang == lang and (d.year, d.month, d.day) == ymd:
            return article
    return None


def visit_clock(now: datetime) -> str:
    """The English header clock, like "25 September 2018, Tuesday, 5:08"."""
    month = MONTHS_GENITIVE["en"][now.month - 1]
    weekday = WEEKDAYS_EN[now.weekday()]
    return f"{now.day} {month} {now.year}, {weekday}, {now.hour}:{now.minute:02d}"


def _header(lang: str, now: datetime) -> str:
    nav = (
        '<nav class="header__nav"><a href="/ru/news/p/1/">Новости</a> '
        '<a href="/be/news/p/1/">Навіны</a> <a href="/en/news/">News</a> '
        '<a href="/ru/rss/all/">RSS</a></nav>'
    )
    clock = f'<div class="header__date">{esc(visit_clock(now))}</div>' if lang == "en" else ""
    logo = '<a class="header__logo" href="/">Charter97</a>'
    return f'<header class="header">{logo}{nav}{clock}</header>'


def _shell(lang: str, title: str, head: str, main: str, now: datetime) -> str:
    site = NOISE[lang]["site"]
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(title)} - {esc(site)}</title>{head}</head><body>\n"
        f'{_header(lang, now)}\n<div class="l-main">{main}</div>\n'
        f'<footer class="footer">© {esc(site)}</footer></body></html>\n'
    )


def article_page(
    article: ReplicaArticle, articles: Sequence[ReplicaArticle], base_url: str, now: datetime
) -> Response:
    head = (
        f'<link rel="canonical" href="{CANONICAL}{article.path}">'
        f'<meta property="og:title" content="{esc(article.title)}">'
    )
    if article.image:
        head += f'<meta property="og:image" content="{esc(base_url + article.image)}">'
    main = (
        f'<article class="article">\n{_article_text(article)}\n{_article_noise(article)}\n'
        f"</article>\n{_sidebar(article, articles)}"
    )
    return html_page(_shell(article.lang, article.title, head, main, now))


def _article_text(article: ReplicaArticle) -> str:
    published = article.published.strftime("%d.%m.%Y, %H:%M")
    parts = [
        f'<h1 class="article__title">{esc(article.title)}</h1>',
        f'<div class="article__info"><span class="article__date">{published}</span></div>',
    ]
    if article.author:
        parts.append(f'<div class="article__author">{esc(article.author)}</div>')
    parts.append(f"<p><strong>{esc(article.lead)}</strong></p>")
    if article.image:
        parts.append(
            '<figure class="article__left article__photo">'
            f'<img src="{esc(article.image)}" alt=""></figure>'
        )
    paragraphs = [f"<p>{esc(p)}</p>" for p in article.body]
    if article.id % 3 == 0:
        video = (
            '<div class="article__video-container">'
            '<iframe src="https://www.youtube.com/embed/x"></iframe></div>'
        )
        paragraphs.insert(min(2, len(paragraphs)), video)
    return "\n".join(parts + paragraphs)


def _article_noise(article: ReplicaArticle) -> str:
    text = NOISE[article.lang]
    comment, reply = COMMENTS[article.lang][article.id % len(COMMENTS[article.lang])]
    return "\n".join(
        (
            f'<div class="social">{esc(text["social"])} <a href="https://t.me/charter97">'
            'Telegram</a> <a href="https://www.facebook.com/charter97">Facebook</a></div>',
            f'<div class="subscribe"><p>{esc(text["subscribe"])}</p></div>',
            f'<p><b>{esc(text["patreon"])}</b> '
            '<a href="https://www.patreon.com/charter97">patreon</a></p>',
            f'<div class="b opinion"><p>{esc(text["opinion"])}</p></div>',
            f'<div class="account"><p>{esc(text["account"])}</p></div>',
            f"<p>{esc(text['write'])}</p>",
            f'<div class="comments"><div class="commentContainer"><p>{esc(comment)}</p>'
            f'<div class="commentLevel2"><p>{esc(reply)}</p></div></div></div>',
        )
    )


def _sidebar(article: ReplicaArticle, articles: Sequence[ReplicaArticle]) -> str:
    links = "".join(
        f'<li><a href="{other.path}">{esc(other.title)}</a></li>'
        for other in others(articles, article, 5)
    )
    title = esc(NOISE[article.lang]["most_read"])
    return f'<aside class="l-sidebar"><h3>{title}</h3><ul>{links}</ul></aside>'


def listing_page(
    articles: Sequence[ReplicaArticle], lang: str, number: int, now: datetime
) -> Response | None:
    """`/{lang}/news/p/{number}/`: 20 newest-first items; None past the end."""
    same_lang = in_lang(articles, lang)
    page = page_of(same_lang, number)
    if page is None:
        return None
    items = [_listing_item(a) for a in page]
    if len(items) >= 5:
        ad = esc(NOISE[lang]["ad"])
        items.insert(5, f'<li class="google_ad"><a href="https://ads.example.com/x">{ad}</a></li>')
    main = (
        '<div class="news news_latest"><ul>\n' + "\n".join(items) + "\n</ul></div>\n"
        + _pagination(lang, number, has_next_page(same_lang, number))
    )
    title = f"{NOISE[lang]['news']} - {number}"
    return html_page(_shell(lang, title, "", main, now))


def _listing_item(article: ReplicaArticle) -> str:
    image = esc(article.image or "/images/placeholder.jpg")
    # Like the real site, a listing sometimes links a variant of the article's URL.
    href = esc(article.variant_links[0] if article.variant_urls else article.path)
    return (
        f'<li><a href="{href}"><div class="news__pic"><img src="{image}"></div>'
        f'{esc(article.title)}<span class="news__time">{hh_mm(article.published)}</span></a></li>'
    )


def _pagination(lang: str, number: int, has_next: bool) -> str:
    links = []
    if number > 1:
        links.append(f'<a class="pagination__prev" href="/{lang}/news/p/{number - 1}/">&lt;</a>')
    links.append(f'<span class="pagination__current">{number}</span>')
    if has_next:
        links.append(f'<a class="pagination__next" href="/{lang}/news/p/{number + 1}/">&gt;</a>')
    return '<div class="pagination">' + " ".join(links) + "</div>"


def feed(
    articles: Sequence[ReplicaArticle], lang: str, section: str, base_url: str
) -> Response | None:
    """RSS 2.0 of the 20 newest articles of a language (and section unless "all")."""
    chosen = [a for a in in_lang(articles, lang) if section in ("all", a.section)]
    if not chosen and section != "all":
        return None
    items = "\n".join(_feed_item(a, base_url) for a in chosen[:20])
    site = esc(NOISE[lang]["site"])
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{site}: {esc(section)}</title><link>{esc(base_url)}/{lang}/news/p/1/</link>"
        f"<description>{site}</description><language>{lang}</language>\n"
        f"{items}\n</channel></rss>\n"
    )
    return Response(200, RSS, xml.encode("utf-8"))


def _feed_item(article: ReplicaArticle, base_url: str) -> str:
    link = esc(base_url + article.path)
    return (
        f"<item><title>{esc(article.title)}</title><link>{link}</link>"
        f"<description>{esc(article.lead)}</description>"
        f"<pubDate>{format_datetime(article.published)}</pubDate>"
        f'<guid isPermaLink="true">{link}</guid></item>'
    )
