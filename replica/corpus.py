"""Ground truth for the replica: the articles it serves, loaded from TOML files."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Each outlet's editions, as its URLs name them (`be_latn` is Nasha Niva's Łacinka edition).
OUTLET_LANGS: dict[str, tuple[str, ...]] = {
    "charter97": ("ru", "be", "en"),
    "pozirk": ("ru", "be"),
    "belta": ("ru", "be", "en"),
    "nashaniva": ("be", "ru", "be_latn", "en"),
    "zerkalo": ("ru",),
    "belsat": ("be", "ru"),
    "svaboda": ("be",),
    "euroradio": ("be", "ru", "en"),
    "reform": ("ru",),
    "zviazda": ("be",),
    "xinhua-ru": ("ru",),
    "peoples-daily-ru": ("ru",),
    "cgtn-ru": ("ru",),
}
# The outlets whose pages the replica builds: every one it knows.
OUTLETS = tuple(OUTLET_LANGS)
# Where an article page lives on its outlet's site (on the edition's own host where an
# edition has one). Fields: id, lang, slug, section, year, month, day, ymd (YYYYMMDD),
# mmdd, iso_day (YYYY-MM-DD), unix (the publication time in seconds).
PATH_TEMPLATES: dict[str, str | dict[str, str]] = {
    "charter97": "/{lang}/news/{year}/{month}/{day}/{id}/",
    "pozirk": "/{lang}/news/{id}",
    "belta": "/{section}/view/{slug}-{id}-{year}/",
    "nashaniva": {"be": "/{id}", "ru": "/ru/{id}", "be_latn": "/be_latn/{id}", "en": "/en/{id}"},
    "zerkalo": "/{section}/{id}.html",
    "belsat": "/{id}/{slug}/",
    "svaboda": "/a/{id}.html",
    "euroradio": {"be": "/{slug}", "ru": "/ru/{slug}", "en": "/en/{slug}"},
    "reform": "/{slug}",
    "zviazda": "/be/news/{ymd}/{unix}-{slug}",
    "xinhua-ru": "/{ymd}/{id}/c.html",
    "peoples-daily-ru": "/n3/{year}/{mmdd}/c31518-{id}.html",
    "cgtn-ru": "/news/{iso_day}/{id}/index.html",
}
MINSK = timezone(timedelta(hours=3), "Europe/Minsk")
ARTICLES_ROOT = Path(__file__).parent / "articles"
REVISIONS_ROOT = Path(__file__).parent / "revisions"  # edited versions, to publish between crawls

_REQUIRED = ("id", "lang", "published", "section", "title", "lead", "body", "relevant")
_OPTIONAL = ("author", "image", "themes", "outlet", "reprint_of", "variant_urls", "slug")
_SECTION_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FILE_RE = re.compile(r"^(?P<lang>[a-z]{2}(?:_latn)?)-(?P<id>\d+)\.toml$")
_REPRINT_RE = re.compile(r"^(?P<outlet>[a-z0-9-]+):(?P<id>\d+)$")

Key = tuple[str, int]  # (outlet, id)


class InvalidArticle(ValueError):
    """An article's data breaks the corpus rules; the message names the outlet and id."""


@dataclass(frozen=True)
class ReplicaArticle:
    """One article as the replica publishes it, and as a perfect crawler would store it."""

    outlet: str
    id: int
    lang: str
    published: datetime
    section: str
    title: str
    lead: str
    body: tuple[str, ...]
    author: str | None = None
    image: str | None = None
    relevant: bool = False
    themes: tuple[str, ...] = ()
    reprint_of: str | None = None  # "outlet:id" of the article this one copies, with edits
    # Other links to this article, as templates of its own fields ("{path}#comments",
    # "/ru/news/{year}/{month:02d}/{day:02d}/{id}/?utm_source=rss"); Charter97 lists the first.
    variant_urls: tuple[str, ...] = ()
    slug: str | None = None  # the words of the URL, where the outlet's URLs carry them

    def __post_init__(self) -> None:
        problem = next(_problems(self), None)
        if problem is not None:
            raise InvalidArticle(f"{self.outlet} article {self.id}: {problem}")

    @property
    def path(self) -> str:
        """The site-relative URL of the article page, as the outlet writes it."""
        template = PATH_TEMPLATES[self.outlet]
        if isinstance(template, dict):
            template = template[self.lang]
        d = self.published
        return template.format(
            id=self.id, lang=self.lang, slug=self.slug, section=self.section, year=d.year,
            month=d.month, day=d.day, ymd=f"{d:%Y%m%d}", mmdd=f"{d:%m%d}",
            iso_day=f"{d:%Y-%m-%d}", unix=int(d.timestamp()),
        )

    @property
    def published_utc(self) -> datetime:
        return self.published.astimezone(UTC)

    @property
    def key(self) -> Key:
        return (self.outlet, self.id)

    @property
    def variant_links(self) -> tuple[str, ...]:
        """variant_urls filled in with this article's path, id, language and date."""
        d = self.published
        fields = {"path": self.path, "id": self.id, "lang": self.lang,
                  "year": d.year, "month": d.month, "day": d.day}
        return tuple(template.format(**fields) for template in self.variant_urls)

    @property
    def original(self) -> Key | None:
        """(outlet, id) of the article this one reprints, if it is a reprint."""
        match = _REPRINT_RE.match(self.reprint_of or "")
        return (match["outlet"], int(match["id"])) if match else None


def _problems(article: ReplicaArticle) -> Iterator[str]:
    """Yield what is wrong with an article (construction raises on the first)."""
    if article.outlet not in OUTLET_LANGS:
        yield f"unknown outlet {article.outlet!r}"
    if isinstance(article.id, bool) or not isinstance(article.id, int) or article.id <= 0:
        yield f"id must be a positive int, got {article.id!r}"
    if article.lang not in OUTLET_LANGS.get(article.outlet, ()):
        yield f"language {article.lang!r} is not published by {article.outlet}"
    if not isinstance(article.published, datetime) or (
        article.published.utcoffset() != MINSK.utcoffset(None)
    ):
        yield "published must be aware and in Minsk time (UTC+3)"
    if "{slug}" in str(PATH_TEMPLATES.get(article.outlet, "")) and not _SLUG_RE.match(
        article.slug or ""
    ):
        yield f"slug {article.slug!r}: {article.outlet} URLs need lowercase latin words and -"
    if not _SECTION_RE.match(article.section):
        yield f"section {article.section!r} is not a lowercase slug"
    if not article.title.strip() or not article.lead.strip():
        yield "title and lead must not be empty"
    if not article.body or not all(p.strip() for p in article.body):
        yield "body must be a non-empty list of non-empty paragraphs"
    if article.image is not None and not article.image.startswith("/images/"):
        yield f"image must be a site path under /images/, got {article.image!r}"
    if article.reprint_of is not None and article.original in (None, article.key):
        yield f"reprint_of must be another article's \"outlet:id\", got {article.reprint_of!r}"
    try:
        links = article.variant_links
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        yield f"variant_urls: bad template ({exc!r})"
    else:
        if not all(link.startswith(("/", "http://", "https://")) for link in links):
            yield "variant_urls must be site paths or http(s) URLs"


def parse_article(outlet: str, data: dict[str, Any]) -> ReplicaArticle:
    """Build an article from the TOML (or JSON) field layout; ValueError on bad data."""
    try:
        return _parse(outlet, data)
    except InvalidArticle:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidArticle(f"{outlet} article {data.get('id', '?')}: {exc}") from exc


def _parse(outlet: str, data: dict[str, Any]) -> ReplicaArticle:
    unknown = set(data) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    missing = [name for name in _REQUIRED if name not in data]
    if missing:
        raise ValueError(f"missing fields {missing}")
    if data.get("outlet", outlet) != outlet:
        raise ValueError(f"outlet {data['outlet']!r} does not match {outlet!r}")
    return ReplicaArticle(
        outlet=outlet,
        id=data["id"],
        lang=_text(data, "lang"),
        published=_minsk_time(data["published"]),
        section=_text(data, "section"),
        title=_text(data, "title"),
        lead=_text(data, "lead"),
        body=_texts(data, "body"),
        author=_optional_text(data, "author"),
        image=_optional_text(data, "image"),
        relevant=_flag(data, "relevant"),
        themes=_texts(data, "themes"),
        reprint_of=_optional_text(data, "reprint_of"),
        variant_urls=_texts(data, "variant_urls"),
        slug=_optional_text(data, "slug"),
    )


def _text(data: dict[str, Any], name: str) -> str:
    value = data[name]
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    return value.strip()


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    if data.get(name) is None:
        return None
    return _text(data, name) or None


def _texts(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must be a list of strings")
    return tuple(v.strip() for v in value)


def _flag(data: dict[str, Any], name: str) -> bool:
    value = data[name]
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be true or false")
    return value


def _minsk_time(value: object) -> datetime:
    """Accept "YYYY-MM-DD HH:MM" (Minsk), ISO 8601 with an offset, or a TOML datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    if not isinstance(value, datetime):
        raise TypeError(f"published must be a date and time, got {value!r}")
    if value.tzinfo is None:
        return value.replace(tzinfo=MINSK)
    return value.astimezone(MINSK)


def load_file(outlet: str, path: Path) -> ReplicaArticle:
    """Parse one `<lang>-<id>.toml` file; ValueError names the file."""
    try:
        with path.open("rb") as fh:
            article = parse_article(outlet, tomllib.load(fh))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    match = _FILE_RE.match(path.name)
    if not match or (match["lang"], int(match["id"])) != (article.lang, article.id):
        raise ValueError(f"{path}: file name must be {article.lang}-{article.id}.toml")
    return article


def article_files(root: Path, outlet: str) -> list[Path]:
    """The TOML files of one outlet under a corpus root (missing folder: none)."""
    folder = root / outlet
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def newest_first(articles: Iterable[ReplicaArticle]) -> list[ReplicaArticle]:
    """Sorted by publication time, newest first; a tie puts the higher id first."""
    return sorted(articles, key=lambda a: (a.published, a.id), reverse=True)


def load_folder(
    folder: Path, outlets: Iterable[str] = OUTLETS
) -> dict[tuple[str, int], ReplicaArticle]:
    """The articles of `outlets` (default: those served) in one `<outlet>/<lang>-<id>.toml`
    folder, keyed by (outlet, id)."""
    found: dict[tuple[str, int], tuple[ReplicaArticle, Path]] = {}
    for outlet in outlets:
        for path in article_files(folder, outlet):
            article = load_file(outlet, path)
            key = (outlet, article.id)
            if key in found:
                raise ValueError(f"{path}: {outlet} article {article.id} also in {found[key][1]}")
            found[key] = (article, path)
    return {key: article for key, (article, _) in found.items()}


def load_corpus(
    root: Path | None = None, extra_dir: Path | None = None, outlets: Iterable[str] = OUTLETS
) -> list[ReplicaArticle]:
    """Load the corpus at root (default: packaged), newest first: the articles of `outlets`,
    by default those the replica serves (articles may be written before their pages are).

    Articles in extra_dir (a drop folder) replace those in root with the same outlet and id,
    as the running replica does: an outlet may edit a published article.
    """
    articles = load_folder(root or ARTICLES_ROOT, outlets)
    if extra_dir is not None:
        articles.update(load_folder(extra_dir, outlets))
    logger.debug("loaded %d replica articles", len(articles))
    return newest_first(articles.values())


def load_revisions(root: Path | None = None) -> list[ReplicaArticle]:
    """Edited versions of corpus articles (same outlet and id), for a test to add() between crawls."""
    return newest_first(load_folder(root or REVISIONS_ROOT).values())


def expected_stories(articles: Iterable[ReplicaArticle]) -> dict[Key, frozenset[Key]]:
    """The stories a perfect deduplicator finds: each original with every article reprinting it.

    An article that is nobody's reprint and has none is a story of its own. ValueError when
    a reprint names an article that is missing or published later than the reprint.
    """
    by_key = {a.key: a for a in articles}
    stories: dict[Key, set[Key]] = {}
    for article in by_key.values():
        root, seen = article, {article.key}
        while root.original is not None:
            original = by_key.get(root.original)
            if original is None or original.published > root.published or original.key in seen:
                raise ValueError(f"{root.outlet} article {root.id}: bad reprint_of {root.reprint_of!r}")
            root = original
            seen.add(root.key)
        stories.setdefault(root.key, set()).add(article.key)
    return {key: frozenset(members) for key, members in stories.items()}
