"""The one tokenizer and normaliser behind every language path of theme matching."""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate
from typing import NamedTuple

# A word is a run of letters (with combining marks and soft hyphens inside it), optionally
# joined by apostrophes: Belarusian writes them inside words (п’еса, аб'ём, z'jezd).
_IN_WORD = r"[^\W\d_]|[\u0300-\u036f\u00ad]"
WORD = re.compile(rf"(?:{_IN_WORD})+(?:['’ʼ‘`](?:{_IN_WORD})+)*")
_COMBINING = re.compile(r"[\u0300-\u036f]")
# ё is folded to е; every apostrophe becomes one; soft hyphens vanish.
_FOLD = str.maketrans({"ё": "е", "’": "'", "ʼ": "'", "‘": "'", "`": "'", "\u00ad": None})
# Lowercase letters that look alike in Latin and Cyrillic, met in words typed with the
# wrong keyboard layout (a Belarusian "i" typed as Latin i is the usual case).
_LATIN_TO_CYRILLIC = str.maketrans("aceiopxyk", "асеіорхук")
_CYRILLIC_TO_LATIN = str.maketrans("асеіорхук", "aceiopxyk")
_LACINKA_MARK = re.compile("[čšžłŭćśźńČŠŽŁŬĆŚŹŃ]")
_LETTER = re.compile(r"[^\W\d_]")


class Token(NamedTuple):
    """One word of a text: where it stands, as written, and normalised."""

    start: int
    end: int
    surface: str
    norm: str


_SPLIT = re.compile(f"({WORD.pattern})")
# The same words in text that is already NFC and has no soft hyphens (what extraction
# produces): a plain letter class runs twice as fast as the alternation above.
_SPLIT_PLAIN = re.compile(r"([^\W\d_]+(?:['’ʼ‘`][^\W\d_]+)*)")


def split_words(text: str) -> list[str]:
    """The text cut into [gap, word, gap, word, ..., gap]: words at odd indexes.

    The fast path of matching: the cut is made in C, the words are parts[1::2], and the
    offsets come from summing lengths (see `offsets`) only when something matched.
    """
    if "\u00ad" in text or not unicodedata.is_normalized("NFC", text):
        return _SPLIT.split(text)
    return _SPLIT_PLAIN.split(text)


def offsets(parts: list[str]) -> list[int]:
    """End offset of every part of `split_words`: word k spans [ends[2k], ends[2k+1])."""
    return list(accumulate(map(len, parts)))


def tokenize(text: str) -> list[Token]:
    """Every word of a text with its character positions and normalised form."""
    return [Token(m.start(), m.end(), m.group(), normalize(m.group())) for m in WORD.finditer(text)]


def normalize(word: str) -> str:
    """Casefolded, NFC, ё→е, one apostrophe, and mixed-script look-alikes repaired.

    Combining marks are composed where a letter exists (у + breve is ў, c + caron is č)
    and dropped where none does (stress marks: а + acute is а).
    """
    folded = word.casefold()
    if folded.isascii():
        return folded
    if _COMBINING.search(folded):
        folded = _COMBINING.sub("", unicodedata.normalize("NFC", folded))
    return _repair_script(folded.translate(_FOLD))


def is_lacinka(text: str) -> bool:
    """True when a Latin-script text carries the marks of Belarusian Łacinka."""
    sample = text[:4000]
    marks = len(_LACINKA_MARK.findall(sample))
    return marks >= 3 and marks * 60 >= len(_LETTER.findall(sample))


def _repair_script(word: str) -> str:
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in word)
    if not cyrillic:
        return word
    latin = sum("a" <= ch <= "z" for ch in word)
    if not latin:
        return word
    if cyrillic >= latin:
        return word.translate(_LATIN_TO_CYRILLIC)
    return word.translate(_CYRILLIC_TO_LATIN)
