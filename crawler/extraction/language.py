"""The language of an article's text, as an ISO 639-1 code ("und" when it cannot be told)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

UNDETERMINED = "und"
MIN_LETTERS = 40  # fewer letters tell no language reliably
# The identifier's cost grows with the length of the text; on the real pages of
# tests/crawler/test_language.py 1000 characters identify every page, as 1500 did.
_SAMPLE = 1000
_CONFIDENT = 0.8  # below this probability the edition's language (the hint) may decide,
_POSSIBLE = 0.01  # provided the model gives it at least this much
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Russian, Belarusian, Ukrainian and Bulgarian share most of their words, so on short texts
# the model mixes them up; their alphabets tell them apart. A text with more than one in a
# hundred of its Cyrillic letters from a language's never-used letters is not in that language
# (a quoted name is tolerated). Belarusian writes і, ў and an apostrophe for и, щ, ъ.
_EAST_SOUTH_SLAVIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўїєґѝ")
_NEVER = {"ru": "іўїєґ", "be": "ищъїєґ", "uk": "ыэёўъ", "bg": "ыэёіўїєґ"}
# Russian writes ъ only before е, ё, ю, я; Bulgarian also as a vowel (във, България).
_VOWEL_HARD_SIGN = re.compile("ъ(?![еёюя])")
# A Belarusian і typed with the Latin layout, inside a Cyrillic word.
_LATIN_I = re.compile("(?<=[а-яёў])i|i(?=[а-яёў])")

# Łacinka: at least one letter in 60 bears its marks (as crawler.themes.tokens.is_lacinka
# asks, which is not imported: crawler.themes imports the matcher, and it imports this module).
# Polish, Czech and Lithuanian bear some of them too; ŭ is Łacinka's own letter, and ł comes
# together with č, š, ž only in Łacinka (Polish has ł without them, Czech and Lithuanian have
# them without ł). Letters it never uses outweigh a borrowed name (Wałęsa in a Łacinka text).
_NOT_LACINKA = re.compile("[ąęóżřěůťďňľĺŕáéíúýėįųūõäöüßàâçèêëîïôûœñåæøĉĝĥĵŝ]")
_LACINKA_MARKS = re.compile("[čšžłŭćśźń]")
_CARON = "čšž"
_LONG_CYRILLIC = 200  # Cyrillic letters from which a language's frequent letters must show
_ENGLISH_LETTER = re.compile("[a-z]")
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH_WORDS = frozenset((
    "the", "and", "of", "that", "with", "for", "was", "were", "has", "have", "had", "this",
    "from", "which", "said", "its", "their", "his", "they", "would", "will", "been", "are"))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The model with the ISO 639-1 languages' columns only (see _ranked for why): the same
    probabilities among them as the whole model renormalised, in a table of their own.

    (set_languages would keep the whole table beside the slice; the slice is copied
    contiguous, so scoring reads it as fast as the whole.)
    """
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(_model_path())
    keep = [i for i, lang in enumerate(classes) if len(lang) == 2]
    table = np.ascontiguousarray(np.asarray(ptc)[:, keep])
    del ptc
    return LanguageIdentifier(table, np.asarray(pc)[keep], [classes[i] for i in keep],
                              nextmove, output, norm_probs=True, tk_row=row)


def _model_path() -> Any:
    from pathlib import Path

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    path = Path(MODEL_FILE)
    return path if path.is_absolute() else Path(MODEL_DIR) / path


def detect_language(text: str, hint: str | None = None) -> str:
    """The text's language; the hint (the edition's language) decides only when the text is too
    short to tell or the model is unsure and the letters leave the hint possible."""
    sample = text[:_SAMPLE]
    letters = len(_LETTER.findall(sample))
    if letters < MIN_LETTERS:
        return hint or UNDETERMINED
    lowered = sample.lower()
    cyrillic = len(_CYRILLIC.findall(lowered))
    candidates: list[str] = []
    if cyrillic > letters / 2:
        candidates = _slavic_candidates(lowered, cyrillic)
        if len(candidates) == 1:
            return candidates[0]
    elif _is_lacinka(lowered, letters):
        return "be"
    elif _plainly_english(lowered, letters):
        return "en"  # the model (72 MB) is loaded only for a text these rules cannot tell
    ranked = _ranked(sample, candidates)
    lang, prob = ranked[0]
    if hint and prob < _CONFIDENT and dict(ranked).get(hint, 0.0) >= _POSSIBLE:
        return hint
    return lang


def _slavic_candidates(lowered: str, cyrillic: int) -> list[str]:
    """Which of ru, be, uk, bg the letters allow; none when the text has other Cyrillic letters
    (Serbian ј, Kazakh ә) or rules out all four (a mixed text): the model alone decides then."""
    if any("\u0400" <= ch <= "\u04ff" and ch not in _EAST_SOUTH_SLAVIC for ch in set(lowered)):
        return []
    count = {ch: lowered.count(ch) for ch in "іўїєґищъыэё"}
    count["і"] += len(_LATIN_I.findall(lowered))
    never = {lang: sum(count[ch] for ch in letters) for lang, letters in _NEVER.items()}
    never["ru"] += len(_VOWEL_HARD_SIGN.findall(lowered))
    allowed = [lang for lang, n in never.items() if n * 100 <= cyrillic]
    if cyrillic >= _LONG_CYRILLIC:
        # A long text without the letters a language writes all the time is not in it:
        # Ukrainian і, ї, є (about one letter in twenty), Bulgarian's vowel ъ (one in forty).
        often = {"uk": count["і"] + count["ї"] + count["є"],
                 "bg": len(_VOWEL_HARD_SIGN.findall(lowered))}
        allowed = [lang for lang in allowed if often.get(lang, cyrillic) * 200 >= cyrillic]
    return allowed


def _plainly_english(lowered: str, letters: int) -> bool:
    """Plain English: letters of the English alphabet (98 in 100 at least: a name may bear an
    accent), and at least one word in eight one of English's own function words (no other
    Latin-script language writes "the", "and", "of", "which" or "said" as words)."""
    if len(_ENGLISH_LETTER.findall(lowered)) * 50 < letters * 49:
        return False
    words = _WORD.findall(lowered)
    return len(words) >= 20 and sum(w in _ENGLISH_WORDS for w in words) * 8 >= len(words)


def _is_lacinka(lowered: str, letters: int) -> bool:
    marks = len(_LACINKA_MARKS.findall(lowered))
    if marks < 3 or marks * 60 < letters:
        return False
    own = "ŭ" in lowered or ("ł" in lowered and any(ch in lowered for ch in _CARON))
    return own and len(_NOT_LACINKA.findall(lowered)) * 4 < marks


def _ranked(sample: str, candidates: list[str]) -> list[tuple[str, float]]:
    """(language, probability) best first, among the candidates or else every ISO 639-1 code.

    The model's other labels are regional languages and varieties (yue, wuu, pcm, ext), which
    took short standard Chinese, English and Spanish texts from them in a test on the real
    pages, ancient languages (grc, hbo), and zxx (no language at all).
    """
    ranked = [
        (str(lang), float(prob))
        for lang, prob in _identifier().rank(sample)
        if (lang in candidates if candidates else len(lang) == 2)
    ]
    total = sum(prob for _lang, prob in ranked) or 1.0
    return [(lang, prob / total) for lang, prob in ranked]
