"""The outlet registry: frozen dataclasses loaded from a sources TOML file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from crawler.tomlfiles import deep_merge, read_toml

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Sub-domains that serve the same pages as an outlet's own host (desktop, mobile, AMP).
HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")


def url_port(parts: SplitResult) -> int | None:
    """The port a URL reaches (its scheme's default when none is written), None when invalid."""
    try:
        port = parts.port
    except ValueError:
        return None
    return port if port is not None else DEFAULT_PORTS.get(parts.scheme.lower())


def _strip_prefixes(host: str, known: frozenset[str]) -> bool:
    while host not in known:
        prefix = next((p for p in HOST_PREFIXES if host.startswith(p)), None)
        if prefix is None:
            return False
        host = host[len(prefix):]
    return bool(host)


class SourceError(ValueError):
    """A sources file that cannot be used; the message names the outlet."""


@dataclass(frozen=True)
class Edition:
    """One language edition of an outlet and how its new articles are found."""

    lang: str
    listing: str
    feeds: tuple[str, ...] = ()
    first_listing: str | None = None

    def listing_path(self, page: int) -> str:
        if page == 1 and self.first_listing:
            return self.first_listing
        return self.listing.format(page=page)


@dataclass(frozen=True)
class ExtractRules:
    """CSS selectors and phrases that turn one outlet's article page into fields."""

    container: str
    title: str
    paragraphs: str = "p"
    date: str | None = None
    date_pattern: str | None = None
    date_attribute: bool = False
    author: str | None = None
    lead: str | None = None
    body: str | None = None
    image: str | None = None
    noise: tuple[str, ...] = ()
    noise_phrases: tuple[str, ...] = ()
    title_suffixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Politeness:
    download_delay: float = 1.0
    concurrency: int = 2


@dataclass(frozen=True)
class Source:
    """One outlet: where it lives, how to discover articles, how to read them."""

    id: str
    name: str
    base_url: str
    canonical_base: str
    article_pattern: re.Pattern[str]
    canonical_path: str
    editions: tuple[Edition, ...]
    listing_link_selector: str
    extract: ExtractRules
    politeness: Politeness = field(default_factory=Politeness)
    aliases: tuple[str, ...] = ()
    interval_minutes: float = 30.0
    cron: str | None = None  # a crontab expression in UTC; replaces the interval when set
    enabled: bool = True

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9_-]+", self.id):
            raise SourceError(f"source id {self.id!r}: use lowercase letters, digits, - or _")
        for url in (self.base_url, self.canonical_base):
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise SourceError(f"source {self.id!r}: {url!r} is not an http(s) URL")
        if not self.editions:
            raise SourceError(f"source {self.id!r}: no editions")
        if self.interval_minutes <= 0:
            raise SourceError(f"source {self.id!r}: interval_minutes must be positive")
        if self.cron is not None and len(self.cron.split()) != 5:
            raise SourceError(f"source {self.id!r}: cron {self.cron!r} needs five fields "
                              "(minute hour day month weekday)")

    @property
    def base_host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @property
    def hosts(self) -> tuple[str, ...]:
        """Every host name that serves this outlet's pages."""
        canonical = urlsplit(self.canonical_base).hostname or ""
        return tuple(dict.fromkeys((self.base_host, canonical, *self.aliases)))

    @property
    def public_hosts(self) -> frozenset[str]:
        """The outlet's own names: its canonical host and its aliases (mirrors)."""
        return frozenset(h.lower() for h in
                         (urlsplit(self.canonical_base).hostname or "", *self.aliases) if h)

    def serves(self, url: str) -> bool:
        """Whether `url` is on this outlet: the one notion of its hosts that link discovery,
        URL identity and the fetch guard all use.

        An outlet serves its public names and their www./m./mobile./amp. forms on the
        standard ports, and the base host this run fetches from (a mirror, the replica on
        127.0.0.1) on the base URL's own port only, since other sites may share that address.
        """
        parts = urlsplit(url)
        if parts.scheme.lower() not in DEFAULT_PORTS:
            return False
        host = (parts.hostname or "").rstrip(".").lower()
        port = url_port(parts)
        if host == self.base_host.lower() and port == url_port(urlsplit(self.base_url)):
            return True
        return port in DEFAULT_PORTS.values() and _strip_prefixes(host, self.public_hosts)

    def with_base_url(self, base_url: str) -> Source:
        return replace(self, base_url=base_url.rstrip("/"))

    def url(self, path: str) -> str:
        """An absolute URL on the base URL this run fetches from."""
        return self.base_url.rstrip("/") + path


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """The packaged outlets, overlaid by the user's file when one is given."""
    data = _read_toml(DEFAULT_SOURCES)
    if path is not None:
        data = deep_merge(data, _read_toml(path))
    return {sid: build_source(sid, raw) for sid, raw in data.items()}


def _read_toml(path: Path) -> dict[str, Any]:
    return read_toml(path, SourceError, "sources")


def build_source(sid: str, raw: Mapping[str, Any]) -> Source:
    """A validated Source from one table of a sources file."""
    try:
        return Source(
            id=sid,
            name=str(raw.get("name", sid)),
            base_url=str(raw["base_url"]).rstrip("/"),
            canonical_base=str(raw.get("canonical_base", raw["base_url"])).rstrip("/"),
            article_pattern=re.compile(raw["article_pattern"]),
            canonical_path=str(raw["canonical_path"]),
            editions=tuple(_edition(lang, e) for lang, e in raw["editions"].items()),
            listing_link_selector=str(raw["listing_links"]["selector"]),
            extract=_rules(raw["extract"]),
            politeness=Politeness(**raw.get("politeness", {})),
            aliases=tuple(raw.get("aliases", ())),
            interval_minutes=float(raw.get("interval_minutes", 30)),
            cron=str(raw["cron"]) if raw.get("cron") else None,
            enabled=bool(raw.get("enabled", True)),
        )
    except KeyError as exc:
        raise SourceError(f"source {sid!r}: missing key {exc.args[0]!r}") from None
    except (TypeError, re.error) as exc:
        raise SourceError(f"source {sid!r}: {exc}") from None


def _edition(lang: str, raw: Mapping[str, Any]) -> Edition:
    return Edition(
        lang=lang,
        listing=str(raw["listing"]),
        feeds=tuple(raw.get("feeds", ())),
        first_listing=raw.get("first_listing"),
    )


def _rules(raw: Mapping[str, Any]) -> ExtractRules:
    tuples = {"noise", "noise_phrases", "title_suffixes"}
    values: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in raw.items()}
    return ExtractRules(**values)
