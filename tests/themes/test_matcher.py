"""The theme matcher: morphology, scripts, word boundaries, both sides, weights, evidence, replica truth."""

from __future__ import annotations

import pytest

from crawler.themes.definitions import ThemeSet, build_theme_set, load_themes
from crawler.themes.index import compiled
from crawler.themes.matcher import Evidence, MatchResult, ThemeScore, match, owner_scores
from crawler.themes.reading import reading
from replica.corpus import ReplicaArticle, load_corpus

CORPUS = load_corpus()


def china_words(text: str, lang: str | None) -> list[str]:
    return [e.text for e in match(text, "", lang).china.evidence]


def theme_ids(result: MatchResult) -> list[str]:
    return [t.id for t in result.themes]


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("ru", ["Китай", "Китая", "Китаю", "Китаем", "Китае", "китайских", "китайцы", "КНР", "Пекине"]),
        ("be", ["Кітай", "Кітая", "Кітаю", "Кітаем", "Кітаі", "кітайскіх", "кітайская", "Пекіне"]),
        ("be", ["Kitaj", "Kitaja", "Kitai", "Kitajem", "kitajskich", "Piekinie"]),
        ("en", ["China", "China's", "Chinese", "Beijing"]),
    ],
)
def test_inflected_forms_find_the_china_side(lang: str, forms: list[str]) -> None:
    for form in forms:
        assert china_words(f"Слова {form} тут. Words {form} here.", lang) != [], form


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("ru", ["Беларусь", "Беларуси", "Беларусью", "белорусских", "Минске", "Лукашенко"]),
        ("be", ["Беларусь", "Беларусі", "Беларуссю", "беларускага", "Мінску", "Лукашэнкі"]),
        ("be", ["Biełaruś", "Bielaruś", "Biełarusi", "biełaruskich", "Minsku", "Łukašenku"]),
        ("en", ["Belarus", "Belarusian", "Minsk", "Lukashenka"]),
    ],
)
def test_inflected_forms_find_the_belarus_side(lang: str, forms: list[str]) -> None:
    for form in forms:
        assert match(f"{form} {form}", "", lang).belarus.evidence != (), form


def test_potash_matches_in_every_language_and_form() -> None:
    texts = {
        "ru": ("Китаю нужен калий", "Китай покупает белорусский калий; калийные удобрения дешевеют."),
        "be": ("Кітаю патрэбны калій", "Кітай купляе беларускі калій; калійныя ўгнаенні таннеюць."),
        "en": ("China needs potash", "China buys Belarusian potash; potash fertiliser gets cheaper."),
    }
    for lang, (title, text) in texts.items():
        result = match(text, title, lang)
        assert result.relevant, lang
        assert "potash-raw-materials" in theme_ids(result), lang


def test_lacinka_text_matches_terms_written_in_cyrillic() -> None:
    # "Вялікі камень" is in the themes file in Cyrillic; a Łacinka text still finds it.
    text = "Kitajskija kampanii inviestujuć u park Vialiki Kamień pad Minskam. Biełaruś čakaje kredytaŭ."
    result = match(text, "", "be")
    loans = next(t for t in result.themes if t.id == "loans-investment")
    assert "Vialiki Kamień" in [e.text for e in loans.evidence]


def test_lacinka_is_recognised_without_a_language() -> None:
    text = (
        "Kitaj i Biełaruś padpisali pahadniennie ab kredycie. "
        "Łukašenka sustreŭsia z Si Czińpinam ŭ Piekinie."
    )
    result = match(text)
    assert result.language == "be"
    assert result.relevant


def test_a_name_is_not_a_stem_of_china() -> None:
    assert china_words("Никита Соколов из Минска выиграл марафон, Никиту поздравили.", "ru") == []
    assert china_words("Учёные заметили кита у берега, киты приплывают каждый год.", "ru") == []
    assert china_words("Мікіта з Мінска выйграў марафон.", "be") == []


def test_words_typed_with_latin_lookalikes_still_match() -> None:
    # A Belarusian "і" typed as the Latin "i" is common in real texts.
    assert china_words("Кiтай i Мiнск", "be") == ["Кiтай"]


def test_capitals_only_terms_ignore_ordinary_words() -> None:
    text = "Belarus and China told us more about the deal, and US officials listened."
    words = [e.text for t in _all_scores(text, "en") for e in t.evidence]
    assert "US" in words
    assert "us" not in words


def test_exact_terms_do_not_match_words_sharing_their_stem() -> None:
    # "container" is written "=container": "contains" shares the Snowball stem but not the form.
    text = "The report on China and Belarus contains nothing new. Containers from China cross Belarus."
    words = [e.text for t in _all_scores(text, "en") for e in t.evidence]
    assert "Containers" in words
    assert "contains" not in words


def test_both_sides_are_required() -> None:
    text = "Китай и Россия подписали газовый контракт. Пекин и Москва довольны. КНР платит."
    china_only = match(text, "", "ru")
    assert china_only.china.score >= 2 and china_only.belarus.score == 0
    assert not china_only.relevant and china_only.themes == ()
    belarus_only = match("Беларусь продала калий. Минск доволен, Лукашенко тоже.", "Калий из Беларуси", "ru")
    assert belarus_only.belarus.score >= 2 and belarus_only.china.score == 0
    assert not belarus_only.relevant


def test_a_passing_china_mention_is_not_relevance() -> None:
    text = (
        "В Бобруйске задержали вора. Среди украденного был недорогой китайский смартфон. "
        "Белорусская милиция вернула вещи владельцам в Минске."
    )
    result = match(text, "Вор задержан в Бобруйске", "ru")
    assert not result.relevant
    assert result.relevance < 0.5


def test_relevance_is_one_half_at_the_weaker_sides_threshold() -> None:
    result = match("Китай и Беларусь.", "Китай", "ru")
    assert result.relevant
    assert 0.5 <= result.relevance < 1.0


def test_the_title_weighs_more_than_the_body() -> None:
    body = "Беларусь и Китай обсуждают поставки в Пекине и Минске. Удобрения дешевеют."
    in_title = match(body, "Калий", "ru")
    in_body = match(body + " Калий.", "Поставки", "ru")
    assert _theme(in_title, "potash-raw-materials") > _theme(in_body, "potash-raw-materials") > 0
    [title_potash] = [e for e in _evidence(in_title, "potash-raw-materials") if e.text == "Калий"]
    [body_potash] = [e for e in _evidence(in_body, "potash-raw-materials") if e.text == "Калий"]
    assert (title_potash.field, body_potash.field) == ("title", "body")
    assert title_potash.weight == 2 * body_potash.weight


def test_negative_terms_lower_the_score_where_they_stand() -> None:
    themes = tiny_themes()
    plain = match("Китай и Беларусь: заём, заём.", "", "ru", themes)
    lowered = match("Китай и Беларусь: заём, заём. Ипотечный заём.", "", "ru", themes)
    assert _theme(plain, "loans") > _theme(lowered, "loans") > 0
    negative = [e for e in _evidence(lowered, "loans") if e.weight < 0]
    assert [(e.text, e.weight) for e in negative] == [("Ипотечный заём", -1.0)]
    in_title = match("Китай и Беларусь: заём, заём, заём.", "Ипотечный заём", "ru", themes)
    assert [e.weight for e in _evidence(in_title, "loans") if e.weight < 0] == [-2.0]  # titles count double


def test_evidence_positions_point_at_the_matched_text() -> None:
    for article in CORPUS:
        body = _body(article)
        result = match(body, article.title, article.lang)
        for score in (result.china, result.belarus, *result.themes):
            for e in score.evidence:
                field = article.title if e.field == "title" else body
                assert field[e.start : e.end] == e.text, (article.id, e)


def test_evidence_positions_survive_marks_and_decomposed_letters() -> None:
    # A stress mark (и + acute) and a decomposed ў (у + breve) stay inside their words.
    text = "Кита\u0301й и Белару\u0301сь. Мінск любіць Кітай, Кітай любіць Мінск; пра Бабру\u0306йск."
    result = match(text, "", "be")
    assert [e.text for e in result.china.evidence] == ["Кита\u0301й", "Кітай", "Кітай"]
    assert "Бабру\u0306йск" in [e.text for e in result.belarus.evidence]
    for e in (*result.china.evidence, *result.belarus.evidence):
        assert text[e.start : e.end] == e.text


def test_every_replica_verdict_matches_the_ground_truth() -> None:
    wrong = []
    for article in CORPUS:
        result = match(_body(article), article.title, article.lang)
        found = set(theme_ids(result))
        if result.relevant != article.relevant or not set(article.themes) <= found:
            wrong.append(
                f"{article.outlet}/{article.lang}-{article.id}: relevant {result.relevant} "
                f"(truth {article.relevant}), found {sorted(found)}, expected {sorted(article.themes)}"
            )
    assert not wrong, "\n".join(wrong)


def test_themes_come_best_first_and_above_their_threshold() -> None:
    for article in CORPUS:
        result = match(_body(article), article.title, article.lang)
        scores = [t.score for t in result.themes]
        assert scores == sorted(scores, reverse=True)
        assert 0 < len(result.themes) <= 4 if result.relevant else result.themes == ()
    themes = tiny_themes()
    assert theme_ids(match("Китай и Беларусь: заём.", "", "ru", themes)) == ["loans"]
    assert theme_ids(match("Китай и Беларусь: кредит.", "", "ru", themes)) == []


def tiny_themes() -> ThemeSet:
    return build_theme_set(_TINY)


_TINY = {
    "sides": {
        "china": {"label": "China", "threshold": 1.0, "terms": {"china": {"ru": ["Китай"]}}},
        "belarus": {"label": "Belarus", "threshold": 1.0, "terms": {"belarus": {"ru": ["Беларусь"]}}},
    },
    "themes": {
        "loans": {
            "label": "Loans",
            "threshold": 0.5,
            "terms": {"loan": {"weight": 1.0, "ru": ["заём"]}},
            "negative": {"mortgage": {"weight": 1.0, "ru": ["ипотечный заём"]}},
        }
    },
}


def _body(article: ReplicaArticle) -> str:
    return "\n\n".join((article.lead, *article.body))


def _theme(result: MatchResult, theme_id: str) -> float:
    return next((t.score for t in result.themes if t.id == theme_id), 0.0)


def _all_scores(text: str, lang: str) -> list[ThemeScore]:
    """Scores of the sides and of every theme, including those under their threshold."""
    index = compiled(load_themes())
    _lang, mode = reading(text, "", lang)
    return owner_scores(index, index.hits(text, "body", mode))


def _evidence(result: MatchResult, theme_id: str) -> list[Evidence]:
    return [e for t in result.themes if t.id == theme_id for e in t.evidence]
