"""How a text is read for matching: its language, and Łacinka apart from Cyrillic Belarusian."""

from __future__ import annotations

import re

from crawler.extraction.language import detect_language

# The languages the theme terms are written in; any other is read as the nearest of them.
THEME_LANGUAGES = ("ru", "be", "en")
_SAMPLE = 1500  # more than detect_language reads: the title comes first
_SCRIPT_SAMPLE = 800
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def reading(text: str, title: str = "", language: str | None = None) -> tuple[str, str]:
    """(language, reading mode) of a text; the mode is one of stems.MODES.

    A given language is trusted; without one (or "und") it is detected. Belarusian written
    mostly in Latin letters is read as Łacinka; a language the themes have no terms for
    (pl, uk, de, zh, ...) is read as English when its script is mostly Latin, else as Russian,
    and is still returned as it is. A code with a script ("be_latn", "be-Latn", an edition's
    name) is its language.
    """
    if language:
        language = language.replace("-", "_").split("_")[0].lower()
    if language in ("ru", "en"):
        return language, language
    sample = f"{title}\n{text[:_SAMPLE]}"
    if not language or language == "und":
        language = detect_language(sample)
    if language == "be":
        return language, "be-latn" if _mostly_latin(sample) else "be"
    if language in THEME_LANGUAGES:
        return language, language
    return language, "en" if _mostly_latin(sample) else "ru"


def _mostly_latin(sample: str) -> bool:
    part = sample[:_SCRIPT_SAMPLE]
    return len(_LATIN.findall(part)) > len(_CYRILLIC.findall(part))
