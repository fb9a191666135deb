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
    slashes and zero padding are dropped: an article's identity is its path.
    """
    absolute = urljoin(page_url or source.base_url + "/", href.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not source.serves(absolute):
        return None
    match = source.article_pattern.match(_without_amp(_SLASHES.sub("/", parts.path)))
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


def canonical_url(source: Source, href: str, page_url: str | None = None) -> str | None:
    """The one URL an article is stored under, or None when href is not this outlet's article."""
    ref = article_ref(source, href, page_url)
    return ref.url if ref is not None else None


def on_canonical_host(source: Source, url: str) -> str:
    """url moved from the host this run fetched from (a mirror, the replica) to the outlet's
    canonical base, so that what is stored names the outlet, not the machine that served it;
    a URL on any other host is returned as it is."""
    parts = urlsplit(url)
    base = urlsplit(source.base_url)
    canonical = urlsplit(source.canonical_base)
    served_by_base = ((parts.hostname or "").rstrip(".") == source.base_host
                      and url_port(parts) == url_port(base))
    if not served_by_base or (base.hostname, url_port(base)) == (canonical.hostname, url_port(canonical)):
        return url
    return urlunsplit((canonical.scheme, canonical.netloc, parts.path, parts.query, parts.fragment))


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
