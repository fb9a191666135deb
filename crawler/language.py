"""Language of an article's text: Russian, Belarusian or English."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

LANGUAGES = ("ru", "be", "en")
# Letters that only Belarusian of the three uses, and ones only Russian uses.
_BELARUSIAN = "ўЎіІ"
_RUSSIAN = "иИщЩъЪ"
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str, hint: str | None = None) -> str:
    """The article's language; the edition's language wins when the text is too short to tell."""
    sample = text[:1500]  # enough to tell three languages apart; the cost grows with length
    letters = _LETTER.subn("", sample)[1]
    if letters < 40:
        return hint or "und"
    cyrillic = _CYRILLIC.subn("", sample)[1]
    if cyrillic > letters / 2:
        return _cyrillic_language(sample, hint)
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.8 or hint is None else hint


def _cyrillic_language(sample: str, hint: str | None) -> str:
    # The two alphabets differ in a few letters; counting them is more reliable
    # than a statistical model on short texts that share most words.
    be = sum(map(sample.count, _BELARUSIAN))
    ru = sum(map(sample.count, _RUSSIAN))
    if be > 2 * ru and be >= 3:
        return "be"
    if ru > 2 * be and ru >= 3:
        return "ru"
    lang, _prob = _identifier().classify(sample)
    return str(lang) if lang in ("ru", "be") else (hint or "ru")
