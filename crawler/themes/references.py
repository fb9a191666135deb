"""Reference similarity across languages: texts as vectors over the themes' concepts, by cosine.

A concept of the themes file (potash, credit, transit, ...) carries its words in Russian,
Belarusian and English, so a text in any of them lands on the same dimensions. The sides
of the relevance check (China, Belarus) are left out: every relevant article has them,
and similarity should tell what an article is about, not that it is relevant.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from crawler.themes.definitions import ThemeSet, load_themes
from crawler.themes.index import compiled
from crawler.themes.matcher import THEMES_START, owner_scores
from crawler.themes.reading import reading


def concept_vector(
    text: str, title: str = "", language: str | None = None, themes: ThemeSet | None = None
) -> dict[str, float]:
    """The text's weight on each concept of the themes (title counted as the matcher counts it)."""
    theme_set = themes if themes is not None else load_themes()
    index = compiled(theme_set)
    _lang, mode = reading(text, title, language)
    hits = index.hits(title, "title", mode) + index.hits(text, "body", mode)
    # A word may serve one concept in two themes (food exports are trade and raw
    # materials): it counts once, with its larger weight.
    strongest: dict[tuple[str, int, str], float] = {}
    for score in owner_scores(index, hits)[THEMES_START:]:
        for e in score.evidence:
            if e.weight > 0:
                key = (e.field, e.start, e.concept)
                strongest[key] = max(strongest.get(key, 0.0), e.weight)
    vector: dict[str, float] = {}
    for (_field, _start, concept), weight in strongest.items():
        vector[concept] = vector.get(concept, 0.0) + weight
    return vector


def similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two concept vectors, 0 when either is empty."""
    dot = sum(weight * b[concept] for concept, weight in a.items() if concept in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return round(dot / norm, 4) if norm else 0.0


def similarities(
    vector: Mapping[str, float], references: Mapping[str, Mapping[str, float]]
) -> dict[str, float]:
    """The similarity of one vector to each named reference vector."""
    return {name: similarity(vector, ref) for name, ref in references.items()}
