"""Pieces shared by the outlets' page renderers: responses, paging, robots.txt, images."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from replica.corpus import ReplicaArticle

PER_PAGE = 20
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ROBOTS_TXT = "User-agent: *\nDisallow: /search/\n"
# The smallest valid GIF: 1x1, two-colour palette, transparent.
PIXEL_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
_NOT_FOUND = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 Not Found</title>'
    "</head><body><h1>404</h1><p>Page not found.</p></body></html>"
)

MONTHS_GENITIVE = {
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    "be": ("студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня",
           "жніўня", "верасня", "кастрычніка", "лістапада", "снежня"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class PageRequest:
    """What a renderer needs to know about one GET: the URL, where it is served, when."""

    path: str
    query: str
    base_url: str
    now: datetime


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def html_page(markup: str, status: int = 200) -> Response:
    return Response(status, HTML, markup.encode("utf-8"))


def not_found() -> Response:
    return html_page(_NOT_FOUND, 404)


def common_route(path: str) -> Response | None:
    """Answer what both outlets serve alike (robots.txt, images), or None."""
    if path == "/robots.txt":
        return Response(200, "text/plain; charset=utf-8", ROBOTS_TXT.encode())
    if path.startswith("/images/") and len(path) > len("/images/"):
        return Response(200, "image/gif", PIXEL_GIF)
    return None


def page_of(articles: Sequence[ReplicaArticle], number: int) -> list[ReplicaArticle] | None:
    """Listing page `number` (1-based) of newest-first articles; None past the end.

    Page 1 always exists, even when empty, as a real outlet's front listing does.
    """
    start = (number - 1) * PER_PAGE
    if number < 1 or (number > 1 and start >= len(articles)):
        return None
    return list(articles[start : start + PER_PAGE])


def has_next_page(articles: Sequence[ReplicaArticle], number: int) -> bool:
    return number * PER_PAGE < len(articles)


def in_lang(articles: Sequence[ReplicaArticle], lang: str) -> list[ReplicaArticle]:
    return [a for a in articles if a.lang == lang]


def others(
    articles: Sequence[ReplicaArticle], article: ReplicaArticle, count: int
) -> list[ReplicaArticle]:
    """The newest articles in the same language, except `article` (sidebars, related)."""
    same = (a for a in articles if a.lang == article.lang and a.id != article.id)
    return [a for _, a in zip(range(count), same, strict=False)]


def day_month_year(moment: datetime, lang: str) -> str:
    """Like "5 верасня 2026"."""
    return f"{moment.day} {MONTHS_GENITIVE[lang][moment.month - 1]} {moment.year}"


def hh_mm(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"
