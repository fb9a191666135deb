"""Article URL identity: one canonical URL per article, whatever host or variant it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.sources import Source

# Sub-domains that serve the same pages as the bare host (desktop, mobile, AMP).
HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
# Query parameters that say who sent the reader, never which page: dropped everywhere.
TRACKING_PREFIXES = ("utm_", "_hs", "mc_", "pk_")
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "ysclid", "twclid", "ttclid",
    "igshid", "_openstat", "_ga", "_gl", "rb_clickid", "from", "ref", "ref_src", "amp",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
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
    if parts.scheme not in ("http", "https") or not is_outlet_host(source, absolute):
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


def is_outlet_host(source: Source, url: str) -> bool:
    """True when url is served by the outlet: its hosts, their www./m./amp. forms, or this run's base.

    The run's base host (a replica on 127.0.0.1, say) counts only on the base URL's own
    port, since other sites may share the address on other ports.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    named = {urlsplit(source.canonical_base).hostname or "", *source.aliases}
    if _strip_prefixes(host, named):
        return True
    return host == source.base_host and _port(parts) == _port(urlsplit(source.base_url))


def on_canonical_host(source: Source, url: str) -> str:
    """url moved from the host this run fetched from (a mirror, the replica) to the outlet's
    canonical base, so that what is stored names the outlet, not the machine that served it;
    a URL on any other host is returned as it is."""
    parts = urlsplit(url)
    base = urlsplit(source.base_url)
    canonical = urlsplit(source.canonical_base)
    served_by_base = ((parts.hostname or "").rstrip(".") == source.base_host
                      and _port(parts) == _port(base))
    if not served_by_base or (base.hostname, _port(base)) == (canonical.hostname, _port(canonical)):
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
    port = _port(parts)
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(kept), ""))


def is_tracking(param: str) -> bool:
    """True for a query parameter that only records where a reader came from."""
    name = param.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _strip_prefixes(host: str, known: set[str]) -> bool:
    while host not in known:
        prefix = next((p for p in HOST_PREFIXES if host.startswith(p)), None)
        if prefix is None:
            return False
        host = host[len(prefix):]
    return bool(host)


def _port(parts: SplitResult) -> int | None:
    """The port a URL reaches (its scheme's default when none is written), None when invalid."""
    try:
        port = parts.port
    except ValueError:
        return None
    return port if port is not None else _DEFAULT_PORTS.get(parts.scheme.lower())


def _without_amp(path: str) -> str:
    """The article path behind an AMP one: `/amp/...`, `.../amp/` or `.../amp`."""
    if path.startswith("/amp/"):
        path = path[len("/amp"):]
    if path.endswith(("/amp", "/amp/")):
        path = path[: path.rfind("/amp")] or "/"
    return path
