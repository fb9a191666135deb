"""A theme set compiled for matching: term keys, a per-word key cache, and the hit finder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from crawler.themes.definitions import Theme, ThemeSet
from crawler.themes.stems import (
    MODES,
    russian_forms,
    term_key,
    text_keys,
    word_languages,
)
from crawler.themes.tokens import normalize, offsets, split_words, tokenize

_PREFIX = 4  # Russian words are lemmatised only when their first letters start a term form
_CACHE_LIMIT = 500_000  # words remembered per reading mode before the cache starts over
_NONE: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One term of one owner (0 = China side, 1 = Belarus side, 2.. = themes in order)."""

    owner: int
    concept: str
    weight: float  # negative for terms that lower the score
    term: str
    keys: tuple[str, ...]  # one key per word of the term


class Hit(NamedTuple):  # a tuple, not a dataclass: a long article makes hundreds of them
    """Where an entry matched in one field of a text."""

    entry: Entry
    field: str
    start: int
    end: int
    surface: str
    first: int  # index of the first and last word in the field
    last: int


class _WordKeys(dict[str, tuple[str, ...]]):
    """Word as written -> the keys of it that some term uses; filled on first sight."""

    def __init__(self, compute: Callable[[str], tuple[str, ...]]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, surface: str) -> tuple[str, ...]:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        keys = self[surface] = self._compute(surface)
        return keys


class CompiledThemes:
    """Every term of a ThemeSet as key sequences, with the lookup that finds them in a text."""

    def __init__(self, theme_set: ThemeSet) -> None:
        self.theme_set = theme_set
        self.owners: tuple[Theme, ...] = (theme_set.china, theme_set.belarus, *theme_set.themes)
        entries = [e for owner, theme in enumerate(self.owners) for e in _entries(owner, theme)]
        # One-word terms by their key; longer terms by their first two keys, so a common
        # first word ("китайский") does not try every phrase that starts with it.
        self.single: dict[str, list[Entry]] = {}
        self.double: dict[tuple[str, str], list[Entry]] = {}
        for entry in entries:
            if len(entry.keys) == 1:
                self.single.setdefault(entry.keys[0], []).append(entry)
            else:
                self.double.setdefault((entry.keys[0], entry.keys[1]), []).append(entry)
        self.vocabulary = frozenset(k for e in entries for k in e.keys)
        self.russian_prefixes = frozenset(_russian_prefixes(self.owners))
        self._caches = {mode: _WordKeys(self._keys_reader(mode)) for mode in MODES}

    def hits(self, text: str, field: str, mode: str) -> list[Hit]:
        """Every place a term matches in `text`."""
        parts = split_words(text)
        keys = list(map(self._caches[mode].__getitem__, parts[1::2]))
        keys.append(_NONE)  # so that keys[i + 1] always exists
        matched: list[tuple[int, int, Entry]] = []
        for i in compress(range(len(keys)), keys):
            for key in keys[i]:
                for entry in self.single.get(key, ()):
                    matched.append((i, i, entry))
                for second in keys[i + 1]:
                    for entry in self.double.get((key, second), ()):
                        if _follows(keys, i, entry.keys):
                            matched.append((i, i + len(entry.keys) - 1, entry))
        if not matched:
            return []
        ends = offsets(parts)
        return [
            Hit(entry, field, ends[2 * i], ends[2 * j + 1], text[ends[2 * i] : ends[2 * j + 1]], i, j)
            for i, j, entry in matched
        ]

    def _keys_reader(self, mode: str) -> Callable[[str], tuple[str, ...]]:
        def read(surface: str) -> tuple[str, ...]:
            norm = normalize(surface)
            keys: list[str] = []
            for lang in word_languages(norm, mode):
                if lang == "ru" and norm[:_PREFIX] not in self.russian_prefixes:
                    continue
                keys.extend(k for k in text_keys(surface, norm, lang) if k in self.vocabulary)
            return tuple(dict.fromkeys(keys)) if keys else _NONE

        return read


@lru_cache(maxsize=8)
def compiled(theme_set: ThemeSet) -> CompiledThemes:
    """The compiled form of a theme set, built once per set."""
    return CompiledThemes(theme_set)


def _follows(keys: list[tuple[str, ...]], i: int, wanted: tuple[str, ...]) -> bool:
    # The first two words are known to match; check the rest of a longer term.
    if i + len(wanted) > len(keys):
        return False
    return all(wanted[n] in keys[i + n] for n in range(2, len(wanted)))


def _entries(owner: int, theme: Theme) -> list[Entry]:
    entries = []
    for concept, lowers in theme.concepts():
        weight = -concept.weight if lowers else concept.weight
        for lang, term in concept.terms:
            keys = tuple(key for _lang, _norm, key in term_words(term, lang))
            entries.append(Entry(owner, concept.id, weight, term, keys))
    return entries


def term_words(term: str, term_language: str) -> list[tuple[str, str, str]]:
    """(stemmer language, normalised word, key) for each word of a term from one language's
    list; a word is read as a text in that language would read it ("=word": exact form)."""
    found = []
    for part in term.split():
        exact = part.startswith("=")
        for token in tokenize(part):
            lang = word_languages(token.norm, term_language)[0]
            surface = "=" + token.surface if exact else token.surface
            found.append((lang, token.norm, term_key(surface, token.norm, lang)))
    return found


def _russian_prefixes(owners: tuple[Theme, ...]) -> set[str]:
    prefixes: set[str] = set()
    for theme in owners:
        for concept, _lowers in theme.concepts():
            for term_language, term in concept.terms:
                for lang, norm, _key in term_words(term, term_language):
                    if lang == "ru":
                        prefixes.update(form[:_PREFIX] for form in russian_forms(norm))
    return prefixes
