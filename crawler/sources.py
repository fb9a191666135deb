"""The outlet registry: frozen dataclasses loaded from a sources TOML file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
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


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def _same_origin(host: str, port: int | None, base: str, *, strip: bool) -> bool:
    """Whether host:port is `base`'s (with www./m./amp. forms on standard ports if strip)."""
    parts = urlsplit(base)
    own = (parts.hostname or "").lower()
    if host == own and port == url_port(parts):
        return True
    return strip and port in DEFAULT_PORTS.values() and _strip_prefixes(host, frozenset({own}))


class SourceError(ValueError):
    """A sources file that cannot be used; the message names the outlet."""


@dataclass(frozen=True)
class Edition:
    """One language edition of an outlet and how its new articles are found.

    `lang` is the edition as the outlet's URLs name it (`ru`, `be_latn`), or "" for an
    outlet with a single unnamed edition, whose articles' language is detected. An edition
    served from a host of its own (BelTA's `blr.belta.by`) has a `base_url` (where this
    run fetches it) and a `canonical_base` (its public name, what stored URLs say).
    """

    lang: str
    listing: str | None = None
    feeds: tuple[str, ...] = ()
    first_listing: str | None = None
    base_url: str | None = None
    canonical_base: str | None = None
    language: str | None = None  # ISO 639-1 of its text when the edition id is not one

    def listing_path(self, page: int) -> str | None:
        if page == 1 and self.first_listing:
            return self.first_listing
        return self.listing.format(page=page) if self.listing else None

    @property
    def language_hint(self) -> str | None:
        """The language the edition's text is expected in, for detection to confirm."""
        return self.language or (self.lang.split("_")[0] if self.lang else None)


@dataclass(frozen=True)
class ExtractRules:
    """CSS selectors and phrases that turn one outlet's article page into fields.

    Every field may be left out: what a selector does not find, the generic reader finds
    in the page's own metadata (JSON-LD, OpenGraph, <time>) and its main text.
    """

    container: str | None = None
    title: str | None = None
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
    editions: tuple[Edition, ...]
    # None: every feed item or listing link on the outlet's hosts is an article, and its
    # path (tracking parameters dropped) is its identity.
    article_pattern: re.Pattern[str] | None = None
    canonical_path: str | None = None
    listing_link_selector: str = "a[href]"
    extract: ExtractRules = field(default_factory=ExtractRules)
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
            raise SourceError(f"source {self.id!r}: no editions (give feeds or a listing)")
        for e in self.editions:
            if not e.feeds and not e.listing:
                raise SourceError(f"source {self.id!r}: edition {e.lang or 'default'!r} has "
                                  "neither feeds nor a listing")
            for own in (e.base_url, e.canonical_base):
                if own is not None and (urlsplit(own).scheme not in DEFAULT_PORTS
                                        or not urlsplit(own).hostname):
                    raise SourceError(f"source {self.id!r}: {own!r} is not an http(s) URL")
        if self.canonical_path is not None and self.article_pattern is None:
            raise SourceError(f"source {self.id!r}: canonical_path needs an article_pattern "
                              "whose groups it is filled from")
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
        names = [self.base_host, _host(self.canonical_base), *self.aliases]
        for e in self.editions:
            names += [_host(e.base_url), _host(e.canonical_base)]
        return tuple(dict.fromkeys(h for h in names if h))

    @property
    def base_hosts(self) -> frozenset[str]:
        """The hosts this run fetches from: the outlet's base URL and its editions' own."""
        return frozenset(h.lower() for h in (self.base_host, *(_host(e.base_url) for e in
                                                                self.editions)) if h)

    @property
    def trusted_hosts(self) -> frozenset[str]:
        """Base hosts the user pointed this run at that are not the outlet's public names (a
        mirror, the replica): these alone may resolve to a loopback or private address."""
        return self.base_hosts - self.public_hosts

    @property
    def public_hosts(self) -> frozenset[str]:
        """The outlet's own names: its canonical hosts (its editions' too) and aliases."""
        names = (_host(self.canonical_base), *self.aliases,
                 *(_host(e.canonical_base) for e in self.editions))
        return frozenset(h.lower() for h in names if h)

    def edition_base(self, edition: Edition) -> str:
        """Where this run fetches `edition` from."""
        return edition.base_url or self.base_url

    def edition_canonical(self, edition: Edition) -> str:
        """The public base of `edition`'s URLs."""
        return edition.canonical_base or self.canonical_base

    def edition_of(self, url: str) -> Edition | None:
        """The edition served from a host of its own that `url` is on, if any."""
        parts = urlsplit(url)
        host, port = (parts.hostname or "").rstrip(".").lower(), url_port(parts)
        for e in self.editions:
            for base in (e.base_url, e.canonical_base):
                if base and _same_origin(host, port, base, strip=base == e.canonical_base):
                    return e
        return None

    def edition(self, lang: str | None) -> Edition:
        """The edition named `lang`; the first one without a host of its own when none is."""
        named = next((e for e in self.editions if e.lang == lang), None)
        return named or next((e for e in self.editions if not e.base_url), self.editions[0])

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
        bases = (self.base_url, *(e.base_url for e in self.editions if e.base_url))
        if any(_same_origin(host, port, base, strip=False) for base in bases):
            return True
        return port in DEFAULT_PORTS.values() and _strip_prefixes(host, self.public_hosts)

    def with_base_urls(self, urls: Mapping[str | None, str]) -> Source:
        """This outlet fetched from other hosts: {None: the outlet's, edition: its own}."""
        moved = self
        for edition, url in sorted(urls.items(), key=lambda kv: kv[0] is not None):
            moved = moved.with_base_url(url, edition)
        return moved

    def with_base_url(self, base_url: str, edition: str | None = None) -> Source:
        """This outlet fetched from `base_url` (a mirror, the replica): the whole outlet, or
        only the edition named `edition` when that edition has a host of its own."""
        if edition is None:
            return replace(self, base_url=base_url.rstrip("/"))
        found = next((e for e in self.editions if e.lang == edition), None)
        if found is None or found.base_url is None:
            own = [e.lang for e in self.editions if e.base_url]
            raise SourceError(f"outlet {self.id!r} has no edition {edition!r} on a host of its "
                              f"own (those it has: {', '.join(own) or 'none'})")
        moved = replace(found, base_url=base_url.rstrip("/"),
                        canonical_base=found.canonical_base or found.base_url)
        return replace(self, editions=tuple(moved if e is found else e for e in self.editions))

    def url(self, path: str, edition: Edition | None = None) -> str:
        """An absolute URL on the base URL this run uses (for `edition`, its own host's)."""
        base = self.edition_base(edition) if edition is not None else self.base_url
        return base.rstrip("/") + path


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
        unknown = sorted(set(raw) - SOURCE_KEYS)
        if unknown:
            raise SourceError(f"source {sid!r}: unknown key {unknown[0]!r}; known: "
                              f"{', '.join(sorted(SOURCE_KEYS))}")
        pattern = raw.get("article_pattern")
        return Source(
            id=sid,
            name=str(raw.get("name", sid)),
            base_url=str(raw["base_url"]).rstrip("/"),
            canonical_base=str(raw.get("canonical_base", raw["base_url"])).rstrip("/"),
            article_pattern=re.compile(pattern) if pattern else None,
            canonical_path=str(raw["canonical_path"]) if raw.get("canonical_path") else None,
            editions=_editions(raw),
            listing_link_selector=str(raw.get("listing_links", {}).get("selector", "a[href]")),
            extract=_rules(raw.get("extract", {})),
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


EDITION_KEYS = frozenset({"feeds", "listing", "first_listing", "base_url", "canonical_base",
                          "language"})
SOURCE_KEYS = frozenset({"name", "base_url", "canonical_base", "aliases", "interval_minutes",
                         "cron", "enabled", "article_pattern", "canonical_path", "editions",
                         "listing_links", "extract", "politeness"}) | EDITION_KEYS - {"base_url"}


def _editions(raw: Mapping[str, Any]) -> tuple[Edition, ...]:
    """The outlet's `editions` table, or one unnamed edition from top-level feeds/listing."""
    if "editions" in raw:
        return tuple(_edition(str(lang), e) for lang, e in raw["editions"].items())
    top = {k: raw[k] for k in EDITION_KEYS - {"base_url", "canonical_base"} if k in raw}
    return (_edition("", top),)


def _edition(lang: str, raw: Mapping[str, Any]) -> Edition:
    unknown = sorted(set(raw) - EDITION_KEYS)
    if unknown:
        raise TypeError(f"edition {lang!r}: unknown key {unknown[0]!r}")
    feeds = raw.get("feeds", ())
    if isinstance(feeds, str):
        feeds = (feeds,)
    base = raw.get("base_url")
    return Edition(
        lang=lang,
        listing=str(raw["listing"]) if raw.get("listing") else None,
        feeds=tuple(str(f) for f in feeds),
        first_listing=raw.get("first_listing"),
        base_url=str(base).rstrip("/") if base else None,
        canonical_base=str(raw.get("canonical_base", base)).rstrip("/") if base else None,
        language=str(raw["language"]) if raw.get("language") else None,
    )


def _rules(raw: Mapping[str, Any]) -> ExtractRules:
    tuples = {"noise", "noise_phrases", "title_suffixes"}
    values: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in raw.items()}
    try:
        return ExtractRules(**values)
    except TypeError:
        known = ", ".join(f.name for f in fields(ExtractRules))
        unknown = sorted(set(values) - {f.name for f in fields(ExtractRules)})
        raise TypeError(f"extract: unknown key {unknown[0]!r}; known: {known}") from None
