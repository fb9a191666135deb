"""How a text is read for matching: its language, and Łacinka apart from Cyrillic Belarusian."""

from __future__ import annotations

import re

from crawler.language import LANGUAGES, detect_language
from crawler.themes.tokens import is_lacinka

_SAMPLE = 1500  # enough to tell three languages apart; the identifier costs per character
_SCRIPT_SAMPLE = 800
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def reading(text: str, title: str = "", language: str | None = None) -> tuple[str, str]:
    """(language, reading mode) of a text; the mode is one of stems.MODES.

    A given language is trusted; without one it is detected. A Belarusian text written
    mostly in Latin letters, or any Latin text with Łacinka's marks, is read as Łacinka.
    """
    if language in ("ru", "en"):
        return language, language
    sample = f"{title}\n{text[:_SAMPLE]}"
    if language not in LANGUAGES:
        language = "be" if _mostly_latin(sample) and is_lacinka(sample) else detect_language(sample)
    if language not in LANGUAGES:
        language = "en" if _mostly_latin(sample) else "ru"
    if language == "be" and _mostly_latin(sample):
        return language, "be-latn"
    return language, language


def _mostly_latin(sample: str) -> bool:
    part = sample[:_SCRIPT_SAMPLE]
    return len(_LATIN.findall(part)) > len(_CYRILLIC.findall(part))
