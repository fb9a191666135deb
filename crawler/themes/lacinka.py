"""Belarusian words, Cyrillic or Łacinka, folded to one Latin common form for matching.

Łacinka spells iotation with a visible j (Кітая = Kitaja, Кітаем = Kitajem), which makes
Belarusian endings easy to strip, and folding both alphabets to it lets a Cyrillic term
match a Łacinka text and back. The fold forgives what writers of Łacinka vary on: the
softness marks (ś ć ź ń → s c z n), ł against l, ŭ against u, and the classical "la"
against the official "lia" for ля. č, š and ž stay: they are never left out.
"""

from __future__ import annotations

import re

_PLAIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "ж": "ž", "з": "z",
    "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "č",
    "ш": "š", "щ": "šč", "ы": "y", "э": "e", "і": "i", "и": "i", "ь": "", "ъ": "", "'": "",
}  # fmt: skip
_IOTATED = {"е": "e", "ё": "o", "ю": "u", "я": "a"}
_VOWELS = frozenset("аеёіоуыэюяи")
# After these an iotated vowel is spelled with j (яма = jama, сям'я = siamja); elsewhere
# it softens the consonant before it and is spelled with i (бяроза = biaroza).
_J_CONTEXT = _VOWELS | {"'", "ь", "ъ", "ў"}
_LATIN_FOLD = str.maketrans({"ł": "l", "ŭ": "u", "ś": "s", "ć": "c", "ź": "z", "ń": "n", "'": None})
_SOFT_L = re.compile(r"li(?=[aeou])")


def belarusian_form(word: str) -> str:
    """The common form of a normalised Belarusian word in either alphabet."""
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        word = _to_latin(word)
    return _SOFT_L.sub("l", word.translate(_LATIN_FOLD))


def _to_latin(word: str) -> str:
    out: list[str] = []
    previous = ""
    for ch in word:
        vowel = _IOTATED.get(ch)
        if vowel is not None:
            out.append(("j" if not previous or previous in _J_CONTEXT else "i") + vowel)
        else:
            out.append(_PLAIN.get(ch, ch))
        previous = ch
    return "".join(out)
