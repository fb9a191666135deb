"""Reference similarity across languages: texts as vectors over the themes' concepts, by cosine.

A concept of the themes file (potash, credit, transit, ...) carries its words in Russian,
Belarusian and English, so a text in any of them lands on the same dimensions. The sides
of the relevance check (China, Belarus) are left out: every relevant article has them,
and similarity should tell what an article is about, not that it is relevant.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from crawler.themes.definitions import ThemeSet
from crawler.themes.matcher import match


def concept_vector(
    text: str, title: str = "", language: str | None = None, themes: ThemeSet | None = None
) -> dict[str, float]:
    """The text's weight on each concept of the themes (title counted as the matcher counts it).

    The matcher computes it from the hits it scores the themes with; a caller that matches
    anyway reads `MatchResult.concepts` instead of calling this.
    """
    return match(text, title, language, themes).concepts


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
