"""Word keys for matching: Russian lemmas, Belarusian stems, English Snowball stems.

Russian: pymorphy3 lemmas. The Snowball Russian stemmer splits one word's forms
(Беларусь → белар, Беларуси → беларус; Китай → кита, Китая → кит) and merges unrelated
words (калий → кал), which a term list cannot work around; a dictionary lemmatiser can.
English: the Snowball English stemmer (PyStemmer), which is reliable on this vocabulary.
Belarusian: no Snowball stemmer or pymorphy3 dictionary exists, so words are folded to the
Łacinka-based common form (see lacinka.py) and a small suffix stripper below removes the
noun and adjective endings. Verbs are not its purpose: the theme terms are nouns,
adjectives and names.

Every key carries its language ("ru:китай", "be:kita", "en:china"), so a Belarusian stem
never meets a Russian lemma by accident. Each word also yields its exact form ("en:~us"),
which a term can ask for. An all-capitals surface of up to five letters
(ЕС, США, US, КНР) also yields an acronym key ("en:=us"), so a term written in capitals
matches the acronym and not the ordinary word.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from crawler.themes.lacinka import belarusian_form
from crawler.themes.tokens import normalize

# Reading modes of a whole text: its language, with Łacinka apart because its Latin words
# are Belarusian, not English.
MODES = ("ru", "be", "be-latn", "en")
_BELARUSIAN_LETTERS = frozenset("іў")
_RUSSIAN_LETTERS = frozenset("ищъ")
_ACRONYM_MAX = 5
_MAX_LEMMAS = 4
_LEMMA_SHARE = 0.1  # a reading far less likely than the best is noise ("после" as "посол")
# Belarusian noun and adjective endings in the common form, longest first.
_BE_ENDINGS = (
    *("iami", "iach"),
    *("ami", "ach", "aha", "amu", "ymi", "imi", "ych", "ich", "aja", "aje", "uju", "oju", "aju"),
    *("eju", "iam"),
    *("am", "om", "em", "aj", "oj", "ej", "au", "ou", "eu", "iu", "ia", "ie", "io", "ym", "im"),
    *("a", "u", "y", "i", "e", "o"),
)
_BE_MIN_STEM = 3
_BE_MIN_STEM_LONG = 4  # after a longer ending: Кітай keeps its "aj", кітайскай loses it


def word_languages(norm: str, mode: str) -> tuple[str, ...]:
    """Which stemmers read a normalised word met in a text read in `mode`."""
    if not any("\u0400" <= ch <= "\u04ff" for ch in norm):
        return ("be", "en") if mode == "be-latn" else ("en",)
    letters = set(norm)
    if letters & _BELARUSIAN_LETTERS:
        return ("be",)
    if letters & _RUSSIAN_LETTERS:
        return ("ru",)
    return ("be",) if mode in ("be", "be-latn") else ("ru",)


def text_keys(surface: str, norm: str, lang: str) -> tuple[str, ...]:
    """Every key a word of a text may match under one language's stemmer."""
    if lang == "ru":
        found = [f"ru:{lemma}" for lemma in russian_lemmas(norm)]
    elif lang == "be":
        found = [f"be:{belarusian_stem(norm)}"]
    else:
        found = [f"en:{english_stem(norm)}"]
    found.append(exact_key(norm, lang))
    if is_acronym(surface):
        found.append(acronym_key(norm, lang))
    return tuple(found)


def term_key(surface: str, norm: str, lang: str) -> str:
    """The one key a word of a theme term stands for.

    Acronyms only match acronyms, and a word written with a leading "=" only matches that
    exact form (the escape hatch for a stemmer's mistake: English "container" and
    "contain" share a stem).
    """
    if surface.startswith("="):
        return exact_key(normalize(surface[1:]), lang)
    if is_acronym(surface):
        return acronym_key(norm, lang)
    if lang == "ru":
        return f"ru:{russian_lemma(norm)}"
    if lang == "be":
        return f"be:{belarusian_stem(norm)}"
    return f"en:{english_stem(norm)}"


def exact_key(norm: str, lang: str) -> str:
    return f"{lang}:~{belarusian_form(norm) if lang == 'be' else norm}"


def is_acronym(surface: str) -> bool:
    return 1 < len(surface) <= _ACRONYM_MAX and surface.isupper()


def acronym_key(norm: str, lang: str) -> str:
    return f"{lang}:={belarusian_form(norm) if lang == 'be' else norm}"


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3  # loaded late: its dictionary takes a tenth of a second

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _english() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def russian_lemmas(norm: str) -> tuple[str, ...]:
    """The lemmas of a Russian word's plausible readings, likeliest first.

    Names pymorphy3 does not know get several guesses (Амкодора: амкодор or амкодора),
    and all are kept; a reading under a tenth of the best one's probability is dropped.
    """
    weights: dict[str, float] = {}
    for parse in _morph().parse(norm):
        lemma = parse.normal_form.replace("ё", "е")
        weights[lemma] = weights.get(lemma, 0.0) + parse.score
    best = max(weights.values())
    return tuple(k for k, w in weights.items() if w >= best * _LEMMA_SHARE)[:_MAX_LEMMAS]


def russian_lemma(norm: str) -> str:
    """The likeliest lemma of a Russian word."""
    return russian_lemmas(norm)[0]


@lru_cache(maxsize=20_000)
def russian_forms(norm: str) -> frozenset[str]:
    """Every inflected form of a Russian word's likeliest lexeme (ё folded)."""
    parse = _morph().parse(norm)[0]
    return frozenset({norm} | {form.word.replace("ё", "е") for form in parse.lexeme})


@lru_cache(maxsize=200_000)
def english_stem(norm: str) -> str:
    """The Snowball English stem of a word."""
    return str(_english().stemWord(norm))


@lru_cache(maxsize=200_000)
def belarusian_stem(norm: str) -> str:
    """The stem of a Belarusian word (Cyrillic or Łacinka) in the common Latin form.

    One ending comes off, keeping at least three letters (four after a longer ending);
    then a j left at the end (the iotation of Кітая, Кітаем); then a final i or y
    (кітайскія, санкцыя) when five letters remain (Грузія keeps hruzi and does not
    become груз); and a doubled last consonant is made single (Беларуссю).
    """
    word = belarusian_form(norm)
    for ending in _BE_ENDINGS:
        least = _BE_MIN_STEM if len(ending) == 1 else _BE_MIN_STEM_LONG
        if word.endswith(ending) and len(word) - len(ending) >= least:
            word = word[: -len(ending)]
            break
    if word.endswith("j") and len(word) > _BE_MIN_STEM:
        word = word[:-1]
    if word[-1:] in ("i", "y") and len(word) > _BE_MIN_STEM + 2:
        word = word[:-1]
    if len(word) > _BE_MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiouy":
        word = word[:-1]
    return word
