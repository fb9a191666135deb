"""Article URL identity: one canonical URL per article, whatever host or variant it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.sources import DEFAULT_PORTS, Source, url_port

# Query parameters that say who sent the reader, never which page: dropped everywhere.
TRACKING_PREFIXES = ("utm_", "_hs", "mc_", "pk_")
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "ysclid", "twclid", "ttclid",
    "igshid", "_openstat", "_ga", "_gl", "rb_clickid", "from", "ref", "ref_src", "amp",
})
_SLASHES = re.compile(r"/{2,}")


@dataclass(frozen=True)
class ArticleRef:
    """What an article URL says about the article before it is fetched."""

    url: str  # canonical, on the outlet's canonical host
    outlet_article_id: str
    lang: str
    path: str  # canonical path, to be fetched from the run's base URL


def article_ref(source: Source, href: str, page_url: str | None = None) -> ArticleRef | None:
    """The canonical reference of an article link, or None when it is not one of this outlet's.

    Host aliases (www., m., amp., mirrors, the base URL this run uses) map to the
    outlet; query strings (tracking, ?amp=1), fragments, AMP paths, doubled
    slashes and zero padding are dropped: an article's identity is its path. An outlet
    without an article pattern (a generic one) keeps every path except its front page, and
    the query parameters that are not tracking ones; one with a pattern but no canonical
    path keeps the paths its pattern matches, as they are.
    """
    absolute = urljoin(page_url or source.base_url + "/", href.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not source.serves(absolute):
        return None
    path = _without_amp(_SLASHES.sub("/", parts.path))
    own = source.edition_of(absolute)
    groups: dict[str, str] = {}
    if source.article_pattern is not None:
        match = source.article_pattern.match(path)
        if match is None:
            return None
        groups = {k: (str(int(v)) if v.isdigit() else v) for k, v in match.groupdict().items() if v}
    if source.canonical_path is not None and source.article_pattern is not None:
        canonical_path = source.canonical_path.format(**groups)
    else:
        # No template: the path itself (its non-tracking query kept) is the identity.
        if path in ("", "/"):
            return None
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                           if not is_tracking(k)])
        canonical_path = path + (f"?{query}" if query else "")
    edition = own or source.edition(groups.get("lang"))
    return ArticleRef(
        url=source.edition_canonical(edition) + canonical_path,
        outlet_article_id=groups.get("id", canonical_path),
        lang=groups.get("lang", edition.lang),
        path=canonical_path,
    )


def canonical_url(source: Source, href: str, page_url: str | None = None) -> str | None:
    """The one URL an article is stored under, or None when href is not this outlet's article."""
    ref = article_ref(source, href, page_url)
    return ref.url if ref is not None else None


def on_canonical_host(source: Source, url: str) -> str:
    """url moved from the host this run fetched from (a mirror, the replica) to the outlet's
    canonical base (its edition's, for an edition on a host of its own), so that what is
    stored names the outlet, not the machine that served it; a URL on any other host is
    returned as it is."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    for base, canonical in _bases(source):
        b, c = urlsplit(base), urlsplit(canonical)
        if host != (b.hostname or "") or url_port(parts) != url_port(b):
            continue
        if (b.hostname, url_port(b)) == (c.hostname, url_port(c)):
            return url
        return urlunsplit((c.scheme, c.netloc, parts.path, parts.query, parts.fragment))
    return url


def _bases(source: Source) -> list[tuple[str, str]]:
    """(where this run fetches, the public base) for each edition host, then the outlet."""
    own = [(e.base_url, source.edition_canonical(e)) for e in source.editions if e.base_url]
    return [*own, (source.base_url, source.canonical_base)]


def clean_url(url: str) -> str:
    """url as worth keeping: scheme and host lower-cased; default port, credentials, fragment
    and tracking parameters gone. Outlet-agnostic; other parameters keep their order.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = f"[{host}]" if ":" in host else host
    port = url_port(parts)
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(kept), ""))


def is_tracking(param: str) -> bool:
    """True for a query parameter that only records where a reader came from."""
    name = param.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _without_amp(path: str) -> str:
    """The article path behind an AMP one: `/amp/...`, `.../amp/` or `.../amp`."""
    if path.startswith("/amp/"):
        path = path[len("/amp"):]
    if path.endswith(("/amp", "/amp/")):
        path = path[: path.rfind("/amp")] or "/"
    return path
