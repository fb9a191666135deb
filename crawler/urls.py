"""Article URL identity: one canonical URL per article, whatever host or variant it came from."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.sources import Source


@dataclass(frozen=True)
class ArticleRef:
    """What an article URL says about the article before it is fetched."""

    url: str  # canonical, on the outlet's canonical host
    outlet_article_id: str
    lang: str
    path: str  # canonical path, to be fetched from the run's base URL


def article_ref(source: Source, href: str, page_url: str | None = None) -> ArticleRef | None:
    """The canonical reference of an article link, or None when it is not one of this outlet's.

    Host aliases (www., m., mirrors, the base URL this run uses) map to the
    outlet; query strings, fragments and zero padding are dropped.
    """
    absolute = urljoin(page_url or source.base_url + "/", href.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname not in source.hosts:
        return None
    path = parts.path
    if path.endswith("/amp") or path.endswith("/amp/"):
        path = path[: path.rfind("/amp")] or "/"
    match = source.article_pattern.match(path)
    if match is None:
        return None
    groups = {k: (str(int(v)) if v.isdigit() else v) for k, v in match.groupdict().items() if v}
    canonical_path = source.canonical_path.format(**groups)
    return ArticleRef(
        url=source.canonical_base + canonical_path,
        outlet_article_id=groups.get("id", canonical_path),
        lang=groups.get("lang", source.editions[0].lang),
        path=canonical_path,
    )
