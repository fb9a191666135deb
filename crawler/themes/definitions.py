"""Theme definitions: frozen dataclasses loaded from the packaged themes.toml and a user's file."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crawler.themes.tokens import WORD
from crawler.tomlfiles import deep_merge
from crawler.tomlfiles import read_toml as read_toml_file

DEFAULT_THEMES = Path(__file__).with_name("themes.toml")
TERM_LANGUAGES = ("ru", "be", "be-latn", "en")
SIDES = ("china", "belarus")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_THEME_KEYS = {"label", "description", "threshold", "terms", "negative"}
_CONCEPT_KEYS = {"weight", *TERM_LANGUAGES}
_TOP_KEYS = {"replace", "scoring", "sides", "themes"}


class ThemeError(ValueError):
    """A theme definition that cannot be used; the message names the theme."""


@dataclass(frozen=True)
class Concept:
    """One idea a theme looks for, with its weight and its words in every language."""

    id: str
    weight: float
    terms: tuple[tuple[str, str], ...]  # (language, term as written)

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"concept id {self.id!r}: use lowercase letters, digits and -")
        if not self.weight > 0:
            raise ValueError(f"concept {self.id!r}: weight must be positive")
        if not self.terms:
            raise ValueError(f"concept {self.id!r}: no terms")
        for lang, term in self.terms:
            if lang not in TERM_LANGUAGES:
                raise ValueError(f"concept {self.id!r}: unknown language {lang!r}")
            if not WORD.search(term):
                raise ValueError(f"concept {self.id!r}: term {term!r} has no words")


@dataclass(frozen=True)
class Theme:
    """A theme of the catalogue (or one side of the relevance check) and how it is scored."""

    id: str
    label: str
    description: str
    threshold: float
    terms: tuple[Concept, ...]
    negative: tuple[Concept, ...] = ()

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ThemeError(f"theme {self.id!r}: id must be lowercase letters, digits and -")
        if not self.label.strip():
            raise ThemeError(f"theme {self.id!r}: label is empty")
        if self.threshold < 0:
            raise ThemeError(f"theme {self.id!r}: threshold must not be negative")
        if not self.terms:
            raise ThemeError(f"theme {self.id!r}: no terms")

    def concepts(self) -> Iterator[tuple[Concept, bool]]:
        """Every concept with True for those that lower the score."""
        yield from ((c, False) for c in self.terms)
        yield from ((c, True) for c in self.negative)


@dataclass(frozen=True)
class Scoring:
    """How matched terms add up to scores."""

    title_weight: float = 2.0  # a term in the title counts this many times
    repeat_decay: float = 0.6  # the n-th mention of one concept counts decay**(n-1)
    max_themes: int = 3  # themes reported per article, best first
    relative_floor: float = 0.0  # themes under this share of the best score are dropped

    def __post_init__(self) -> None:
        if self.title_weight <= 0 or not 0 < self.repeat_decay <= 1 or self.max_themes < 1:
            raise ThemeError("scoring: title_weight > 0, 0 < repeat_decay <= 1, max_themes >= 1")
        if not 0 <= self.relative_floor <= 1:
            raise ThemeError("scoring: relative_floor must be between 0 and 1")


@dataclass(frozen=True, eq=False)  # compared by identity: compiled indexes are cached per set
class ThemeSet:
    """The two sides of the relevance check, the themes, and the scoring rules."""

    china: Theme
    belarus: Theme
    themes: tuple[Theme, ...]
    scoring: Scoring = Scoring()

    def __post_init__(self) -> None:
        ids = [t.id for t in self.themes]
        duplicate = next((i for i in ids if ids.count(i) > 1), None)
        if duplicate is not None:
            raise ThemeError(f"theme {duplicate!r}: defined twice")

    def theme(self, theme_id: str) -> Theme:
        found = next((t for t in self.themes if t.id == theme_id), None)
        if found is None:
            raise KeyError(theme_id)
        return found


def load_themes(path: Path | None = None) -> ThemeSet:
    """The packaged themes, extended or replaced by the user's file when one is given.

    The user's file is merged by theme id and concept id, as the sources file is: a table
    it names replaces only the keys it sets. With `replace = true` at its top it stands
    alone.
    """
    if path is None:
        return _packaged()
    user = read_toml(path)
    data = user if user.get("replace") is True else deep_merge(read_toml(DEFAULT_THEMES), user)
    return build_theme_set(data)


@lru_cache(maxsize=1)
def _packaged() -> ThemeSet:
    return build_theme_set(read_toml(DEFAULT_THEMES))


def read_toml(path: Path) -> dict[str, Any]:
    return read_toml_file(path, ThemeError, "themes")


def build_theme_set(data: Mapping[str, Any]) -> ThemeSet:
    """A validated ThemeSet from the parsed layout of a themes file."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ThemeError(f"themes file: unknown keys {sorted(unknown)}")
    sides = _table(data, "sides", "themes file")
    missing = [s for s in SIDES if s not in sides]
    if missing or set(sides) - set(SIDES):
        raise ThemeError(f"themes file: [sides] must define exactly {list(SIDES)}")
    themes = _table(data, "themes", "themes file")
    try:
        scoring = Scoring(**_table(data, "scoring", "themes file", required=False))
    except TypeError as exc:
        raise ThemeError(f"scoring: {exc}") from None
    return ThemeSet(
        china=build_theme("china", sides["china"]),
        belarus=build_theme("belarus", sides["belarus"]),
        themes=tuple(build_theme(tid, raw) for tid, raw in themes.items()),
        scoring=scoring,
    )


def build_theme(theme_id: str, raw: Any) -> Theme:
    """One validated Theme from its table; ThemeError names the theme."""
    where = f"theme {theme_id!r}"
    if not isinstance(raw, Mapping):
        raise ThemeError(f"{where}: must be a table")
    unknown = set(raw) - _THEME_KEYS
    if unknown:
        raise ThemeError(f"{where}: unknown keys {sorted(unknown)}")
    threshold = raw.get("threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ThemeError(f"{where}: threshold must be a number")
    try:
        return Theme(
            id=theme_id,
            label=_string(raw, "label", where),
            description=_string(raw, "description", where, default=""),
            threshold=float(threshold),
            terms=_concepts(_table(raw, "terms", where)),
            negative=_concepts(_table(raw, "negative", where, required=False)),
        )
    except ThemeError:
        raise
    except ValueError as exc:
        raise ThemeError(f"{where}: {exc}") from None


def _concepts(table: Mapping[str, Any]) -> tuple[Concept, ...]:
    return tuple(_concept(cid, raw) for cid, raw in table.items())


def _concept(concept_id: str, raw: Any) -> Concept:
    if not isinstance(raw, Mapping):
        raise ValueError(f"concept {concept_id!r} must be a table")
    unknown = set(raw) - _CONCEPT_KEYS
    if unknown:
        raise ValueError(f"concept {concept_id!r}: unknown keys {sorted(unknown)}")
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise ValueError(f"concept {concept_id!r}: weight must be a number")
    terms: list[tuple[str, str]] = []
    for lang in TERM_LANGUAGES:
        values = raw.get(lang, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"concept {concept_id!r}: {lang} must be a list of strings")
        terms.extend((lang, v) for v in values)
    return Concept(id=concept_id, weight=float(weight), terms=tuple(terms))


def _table(raw: Mapping[str, Any], key: str, where: str, required: bool = True) -> dict[str, Any]:
    value = raw.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise ThemeError(f"{where}: [{key}] must be a table")
    return dict(value)


def _string(raw: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise ThemeError(f"{where}: {key} must be a string")
    return value
