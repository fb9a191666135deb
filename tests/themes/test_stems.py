"""The shared tokenizer and the per-language keys: forms of one word meet, different words do not."""

from __future__ import annotations

import pytest

from crawler.themes.lacinka import belarusian_form
from crawler.themes.stems import belarusian_stem, english_stem, russian_lemmas
from crawler.themes.tokens import is_lacinka, normalize, offsets, split_words, tokenize


def test_tokens_carry_their_positions_and_normal_forms() -> None:
    text = "«Кітай» і ЁЖ: прэм’ера, аб'ём; China's"
    tokens = tokenize(text)
    assert [t.surface for t in tokens] == ["Кітай", "і", "ЁЖ", "прэм’ера", "аб'ём", "China's"]
    assert [t.norm for t in tokens] == ["кітай", "і", "еж", "прэм'ера", "аб'ем", "china's"]
    assert all(text[t.start : t.end] == t.surface for t in tokens)


def test_the_fast_split_finds_the_same_words_and_positions() -> None:
    for text in ("Мінск—Пекін, 2026: «Вялікі камень»!", "шо\u00adсе Ку\u0301лак ў"):
        parts = split_words(text)
        ends = offsets(parts)
        words = [(ends[2 * k], ends[2 * k + 1]) for k in range(len(parts) // 2)]
        assert words == [(t.start, t.end) for t in tokenize(text)]


def test_normalising_repairs_mixed_scripts_and_marks() -> None:
    assert normalize("Мiнск") == "мінск"  # Latin i in a Cyrillic word
    assert normalize("Chinа") == "china"  # Cyrillic а in a Latin word
    assert normalize("ру\u0306х") == "рўх"  # decomposed ў composed
    assert normalize("Кита\u0301й") == "китай"  # stress mark dropped
    assert normalize("Ёлка") == "елка"


def test_lacinka_and_cyrillic_fold_to_one_form() -> None:
    pairs = [
        ("беларусь", "biełaruś"), ("беларусь", "bielaruś"), ("кітая", "kitaja"),
        ("лукашэнка", "łukašenka"), ("пекіне", "piekinie"), ("вялікі", "vialiki"),
        ("калій", "kalij"), ("зямля", "ziamla"), ("зямля", "ziamlia"),
    ]  # fmt: skip
    for cyrillic, latin in pairs:
        assert belarusian_form(normalize(cyrillic)) == belarusian_form(normalize(latin)), latin


def test_lacinka_texts_are_told_from_english() -> None:
    assert is_lacinka("Kitaj i Biełaruś padpisali pahadniennie, Łukašenka zadavoleny.")
    assert not is_lacinka("China and Belarus signed an agreement; Lukashenka is pleased.")


@pytest.mark.parametrize(
    "forms",
    [
        ["кітай", "кітая", "кітаю", "кітаем", "кітаі"],
        ["кітайскі", "кітайская", "кітайскіх", "кітайскага", "кітайскія", "кітайскаму"],
        ["калій", "калія", "каліем", "калію"],
        ["расія", "расіі", "расію", "расіяй"],
        ["санкцыя", "санкцыі", "санкцый", "санкцыямі"],
        ["беларусь", "беларусі", "беларуссю"],
        ["kitaj", "kitaja", "kitai", "kitajem"],
    ],
)
def test_belarusian_forms_share_a_stem(forms: list[str]) -> None:
    assert len({belarusian_stem(normalize(f)) for f in forms}) == 1, forms


@pytest.mark.parametrize(("one", "other"), [("калій", "калі"), ("калій", "каля"), ("груз", "грузію")])
def test_belarusian_words_that_only_look_alike_stay_apart(one: str, other: str) -> None:
    assert belarusian_stem(one) != belarusian_stem(other)


def test_russian_forms_share_a_lemma() -> None:
    for forms in (["китай", "китая", "китаю", "китаем"], ["калий", "калия"], ["беларусь", "беларуси"]):
        lemmas = [russian_lemmas(f)[0] for f in forms]
        assert len(set(lemmas)) == 1, forms
    assert "китай" not in russian_lemmas("никита")
    assert "посол" not in russian_lemmas("после")  # an unlikely reading is dropped


def test_english_forms_share_a_stem() -> None:
    assert english_stem("china") == english_stem("china's")
    assert english_stem("sanctions") == english_stem("sanction")
