"""Text clean-up shared by extraction, hashing and matching."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # no-break spaces are the author's and stay
_ANY_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({c: '"' for c in "«»„“”‟″〝〞＂'‘’‚‛`´"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−﹘﹣－"})
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def clean_text(text: str) -> str:
    """Text as a reader sees it: NFC, invisible characters gone, runs of spaces collapsed."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text).strip()


def fold_text(text: str) -> str:
    """Text reduced for comparison: case, quotes, dashes, ё and spacing folded."""
    text = clean_text(text).casefold().translate(_QUOTES).translate(_DASHES)
    return _ANY_SPACE.sub(" ", text).replace("ё", "е")


def text_hash(paragraphs: tuple[str, ...] | list[str]) -> str:
    """A stable hash of the folded body text, equal for typographic variants."""
    folded = fold_text(" ".join(paragraphs))
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=16).hexdigest()
