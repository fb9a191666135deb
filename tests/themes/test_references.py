"""Reference similarity: the same subject in two languages is closer than two subjects in one."""

from __future__ import annotations

from crawler.themes.references import concept_vector, similarities, similarity

RU_POTASH = (
    "Китай снова сбил цену на белорусский калий",
    "Китайские покупатели добились от Белорусской калийной компании скидки. Калийные удобрения "
    "остаются главным товаром, который Беларусь продаёт в Китай, а цену фактически задаёт Пекин.",
)
BE_POTASH = (
    "Кітай зноў збіў цану на беларускі калій",
    "Кітайскія пакупнікі дамагліся ад Беларускай калійнай кампаніі зніжкі. Калійныя ўгнаенні "
    "застаюцца галоўным таварам, які Беларусь прадае ў Кітай, а цану фактычна задае Пекін.",
)
EN_POTASH = (
    "China pushes down the price of Belarusian potash again",
    "Chinese buyers won a discount from Belarusian Potash Company. Potash fertiliser remains "
    "the main good Belarus sells to China, and Beijing in effect sets the price.",
)
RU_DRILLS = (
    "Китайские военные снова приедут на учения в Беларусь",
    "Подразделение армии Китая проведёт с белорусскими военными антитеррористические учения "
    "под Брестом. Минобороны обещает показать ракетные комплексы и дроны.",
)


def vector(pair: tuple[str, str], lang: str) -> dict[str, float]:
    title, body = pair
    return concept_vector(body, title, lang)


def test_one_subject_in_two_languages_is_closer_than_two_subjects_in_one() -> None:
    ru, be, en = vector(RU_POTASH, "ru"), vector(BE_POTASH, "be"), vector(EN_POTASH, "en")
    drills = vector(RU_DRILLS, "ru")
    assert similarity(ru, be) > similarity(ru, drills)
    assert similarity(ru, be) > similarity(be, drills)
    assert similarity(ru, en) > similarity(en, drills)
    assert similarity(ru, be) > 0.8


def test_vectors_are_keyed_by_concept_not_by_word() -> None:
    ru, be = vector(RU_POTASH, "ru"), vector(BE_POTASH, "be")
    assert "potash" in ru and "potash" in be
    assert "china" not in ru  # the relevance sides stay out of the comparison


def test_similarity_basics() -> None:
    ru = vector(RU_POTASH, "ru")
    assert similarity(ru, ru) == 1.0
    assert similarity(ru, {}) == 0.0
    assert similarity({"a": 1.0}, {"b": 1.0}) == 0.0
    drills = vector(RU_DRILLS, "ru")
    assert similarity(ru, drills) == similarity(drills, ru)
    assert similarities(ru, {"same": ru, "other": drills}) == {
        "same": 1.0,
        "other": similarity(ru, drills),
    }
