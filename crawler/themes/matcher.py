"""The theme matcher: text, title and language in, relevance and theme scores with evidence out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crawler.themes.definitions import Scoring, ThemeSet, load_themes
from crawler.themes.index import CompiledThemes, Hit, compiled
from crawler.themes.reading import reading

CHINA, BELARUS = 0, 1  # owners of a compiled theme set: the two sides, then the themes
THEMES_START = 2


@dataclass(frozen=True)
class Evidence:
    """One matched term: where it stands, what it says, and what it added to the score."""

    field: str  # "title" or "body"
    start: int  # character offsets into that field
    end: int
    text: str  # the surface text, field[start:end]
    term: str  # the term as the themes file writes it
    concept: str
    weight: float  # what it added (negative: it lowered the score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "term": self.term,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class ThemeScore:
    """A theme's (or a side's) score and the evidence behind it."""

    id: str
    score: float
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": self.score, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True)
class MatchResult:
    """The verdict on one text."""

    language: str  # the text's language (ISO 639-1, "und" when it cannot be told)
    reading: str  # how it was read: ru, be, be-latn or en (a language without terms: the nearest)
    relevant: bool
    relevance: float  # 0..1; 0.5 where the weaker side just reaches its threshold
    themes: tuple[ThemeScore, ...]  # above threshold, best first; empty when not relevant
    china: ThemeScore
    belarus: ThemeScore
    # The text's weight on each concept of the themes, from the same hits: what reference
    # similarity compares (themes/references.py).
    concepts: dict[str, float] = field(default_factory=dict, compare=False)


def match(
    text: str, title: str = "", language: str | None = None, themes: ThemeSet | None = None
) -> MatchResult:
    """Score one text against the theme set (default: the packaged one). Pure."""
    theme_set = themes if themes is not None else load_themes()
    index = compiled(theme_set)
    lang, mode = reading(text, title, language)
    tallies = _tallies(index, index.hits(title, "title", mode) + index.hits(text, "body", mode))
    china, belarus = (_theme_score(index.owners[o].id, tallies[o]) for o in (CHINA, BELARUS))
    china_threshold, belarus_threshold = theme_set.china.threshold, theme_set.belarus.threshold
    relevant = china.score >= china_threshold and belarus.score >= belarus_threshold
    ratio = min(_ratio(china.score, china_threshold), _ratio(belarus.score, belarus_threshold))
    found = _ranked(index, tallies, theme_set.scoring) if relevant else ()
    return MatchResult(lang, mode, relevant, round(ratio / (1 + ratio), 3), found, china, belarus,
                       _concepts(tallies))


def _concepts(tallies: list[list[_Counted]]) -> dict[str, float]:
    """Each concept's weight in the text, over the themes (the sides left out).

    A word may serve one concept in two themes (food exports are trade and raw materials):
    it counts once, with its larger weight.
    """
    strongest: dict[tuple[str, int, str], float] = {}
    for tally in tallies[THEMES_START:]:
        for _body, _start, added, hit in sorted(tally, key=lambda c: (c[0], c[1])):
            if added > 0:
                key = (hit.field, hit.start, hit.entry.concept)
                strongest[key] = max(strongest.get(key, 0.0), added)
    vector: dict[str, float] = {}
    for (_field, _start, concept), weight in strongest.items():
        vector[concept] = vector.get(concept, 0.0) + weight
    return vector


def owner_scores(index: CompiledThemes, hits: Iterable[Hit]) -> list[ThemeScore]:
    """A score with evidence for every owner (sides, then themes), reported or not."""
    tallies = _tallies(index, hits)
    return [_theme_score(theme.id, tally) for theme, tally in zip(index.owners, tallies, strict=True)]


# One counted mention: (in the body?, start, what it added, the hit); sorts into reading order.
_Counted = tuple[bool, int, float, Hit]


def _tallies(index: CompiledThemes, hits: Iterable[Hit]) -> list[list[_Counted]]:
    """Every owner's counted mentions.

    Each concept's mentions count in full once, then less and less: a text that repeats
    one word is not worth as much as one that touches several sides of the theme.
    """
    scoring = index.theme_set.scoring
    by_concept: dict[tuple[int, str, bool], list[tuple[float, Hit]]] = defaultdict(list)
    for hit in _without_overlaps(hits):
        entry = hit.entry
        weight = entry.weight * (scoring.title_weight if hit.field == "title" else 1.0)
        by_concept[(entry.owner, entry.concept, weight < 0)].append((weight, hit))
    tallies: list[list[_Counted]] = [[] for _ in index.owners]
    for (owner, _concept, _lowers), group in by_concept.items():
        group.sort(key=lambda pair: abs(pair[0]), reverse=True)
        factor = 1.0
        for weight, hit in group:
            tallies[owner].append((hit.field != "title", hit.start, round(weight * factor, 3), hit))
            factor *= scoring.repeat_decay
    return tallies


def _total(tally: list[_Counted]) -> float:
    return round(max(0.0, sum(counted[2] for counted in tally)), 3)


def _theme_score(owner_id: str, tally: list[_Counted]) -> ThemeScore:
    tally.sort(key=lambda counted: (counted[0], counted[1]))
    evidence = tuple(
        Evidence(h.field, h.start, h.end, h.surface, h.entry.term, h.entry.concept, added)
        for _body, _start, added, h in tally
    )
    return ThemeScore(owner_id, _total(tally), evidence)


def _without_overlaps(hits: Iterable[Hit]) -> list[Hit]:
    # Within one concept a longer term wins over a shorter one on the same words
    # ("Великий камень" over "камень"). Different concepts may share words: a phrase
    # concept adds to the word concept inside it, and terms that lower a score stand
    # apart, so "китайский смартфон" cancels the "китайский" inside it.
    kept: list[Hit] = []
    taken: set[tuple[int, str, bool, str, int]] = set()
    for hit in sorted(hits, key=lambda h: h.first - h.last):
        entry = hit.entry
        if hit.first == hit.last:
            word = (entry.owner, entry.concept, entry.weight < 0, hit.field, hit.first)
            if word not in taken:
                taken.add(word)
                kept.append(hit)
            continue
        slot = (entry.owner, entry.concept, entry.weight < 0, hit.field)
        words = [(*slot, n) for n in range(hit.first, hit.last + 1)]
        if taken.isdisjoint(words):
            taken.update(words)
            kept.append(hit)
    return kept


def _ranked(index: CompiledThemes, tallies: list[list[_Counted]], scoring: Scoring) -> tuple[ThemeScore, ...]:
    above = [
        (total, theme.id, owner)
        for owner, theme in enumerate(index.owners)
        if owner >= THEMES_START and (total := _total(tallies[owner])) > 0 and total >= theme.threshold
    ]
    above.sort(key=lambda item: (-item[0], item[1]))
    if not above:
        return ()
    floor = above[0][0] * scoring.relative_floor
    chosen = [item for item in above if item[0] >= floor][: scoring.max_themes]
    return tuple(_theme_score(theme_id, tallies[owner]) for _total_, theme_id, owner in chosen)


def _ratio(score: float, threshold: float) -> float:
    return score / threshold if threshold > 0 else (1.0 if score > 0 else 0.0)
