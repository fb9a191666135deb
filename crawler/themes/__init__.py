"""Theme matching: is a text about Belarus-China relations, which seed themes, and why."""

from __future__ import annotations

from crawler.themes.definitions import Concept, Scoring, Theme, ThemeError, ThemeSet, load_themes
from crawler.themes.matcher import Evidence, MatchResult, ThemeScore, match
from crawler.themes.references import concept_vector, similarities, similarity

__all__ = [
    "Concept",
    "Evidence",
    "MatchResult",
    "Scoring",
    "Theme",
    "ThemeError",
    "ThemeScore",
    "ThemeSet",
    "concept_vector",
    "load_themes",
    "match",
    "similarities",
    "similarity",
]
