"""Word stems for full-text search, from the same stemmers the theme matcher uses.

Russian words become pymorphy3 lemmas, Belarusian words (Cyrillic or Łacinka) stems in
one Latin-based form, English words Snowball stems. The archive indexes the stems of
every article beside its text, and `belmon search` stems each query word the same way,
so one query word finds every inflected form.
"""

from __future__ import annotations

from functools import lru_cache

from crawler.themes.reading import reading
from crawler.themes.stems import belarusian_stem, english_stem, russian_lemma, word_languages
from crawler.themes.tokens import normalize, split_words


@lru_cache(maxsize=200_000)
def _stem(norm: str, lang: str) -> str:
    if lang == "ru":
        return russian_lemma(norm)
    if lang == "be":
        return belarusian_stem(norm)
    return english_stem(norm)


@lru_cache(maxsize=200_000)
def _word_stem(word: str, mode: str) -> str:
    norm = normalize(word)
    return _stem(norm, word_languages(norm, mode)[0])


def stem_text(text: str, language: str | None) -> str:
    """The stems of every word of `text`, space-separated, in text order."""
    _language, mode = reading(text, language=language)
    return " ".join(_word_stem(word, mode) for word in split_words(text)[1::2])


def query_stems(word: str) -> tuple[str, ...]:
    """The stems one query word may have, in any of the three languages it could be in."""
    norm = normalize(word)
    langs = dict.fromkeys(word_languages(norm, "ru") + word_languages(norm, "be")
                          + word_languages(norm, "be-latn"))
    return tuple(dict.fromkeys(_stem(norm, lang) for lang in langs))
