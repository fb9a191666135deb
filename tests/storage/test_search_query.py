"""Search words become FTS5 expressions over text and stems; highlighting finds inflected forms."""

from __future__ import annotations

from scheduler.cli.display import highlight
from storage.fulltext import fts_expression, is_advanced


def _stem(word: str) -> tuple[str, ...]:
    return (word.casefold()[:4],)  # a crude stand-in stemmer that keeps the tests readable


def test_plain_words_match_as_written_or_by_stem() -> None:
    assert fts_expression("Китая ЕС", _stem) == '("Китая" OR stems:"кита") AND ("ЕС" OR stems:"ес")'


def test_fts_syntax_passes_through() -> None:
    assert is_advanced('"Великий камень" OR калий')
    assert fts_expression("stems:кита*", _stem) == "stems:кита*"


def test_a_query_without_words_is_an_error() -> None:
    try:
        fts_expression("!!!", _stem)
    except ValueError as exc:
        assert "no words" in str(exc)
    else:
        raise AssertionError("expected ValueError")


def test_highlight_marks_an_inflected_form() -> None:
    text = "Поставки в Китай растут. Экспорт Беларуси в Китае упал."
    assert highlight(text, ["Китая"], _stem, ("[", "]"), width=6) == (
        "Поставки в [Китай] растут. Экспорт Беларуси…"
    )
    assert highlight(text, ["Китая"], _stem, ("[", "]"), width=20).endswith("в [Китае] упал.")
