"""The library behind `belmon match`: text, HTML and standard input in, one result per input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crawler.themes.documents import match_inputs, split_document
from scheduler.cli.output import write_rows
from scheduler.cli.themes import MATCH_COLUMNS, MATCH_TABLE_COLUMNS, _match_cells

TEXT = """Кітай зноў збіў цану на беларускі калій

Кітайскія пакупнікі дамагліся ад Беларускай калійнай кампаніі зніжкі.
Калійныя ўгнаенні застаюцца галоўным таварам, які Беларусь прадае ў Кітай.
"""

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>China Pushes Down the Price of Belarusian Potash</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>China Pushes Down the Price of Belarusian Potash</h1>
<p>Chinese buyers have won another discount from Belarusian Potash Company, the state exporter
that sells most of the country's potash fertiliser. With Western markets closed by sanctions,
Belaruskali depends on China as its largest customer and has little room to bargain.</p>
<p>Traders in Minsk say Beijing in effect now sets the price of Belarusian potash, and that the
new contract is well below what buyers in India and Brazil pay for the same fertiliser.</p>
<p>Officials in Minsk did not comment on the contract.</p></article>
<footer>© 2026 Example News</footer></body></html>
"""

KEYS = {"path", "language", "read_as", "relevant", "relevance", "themes"}


def test_plain_text_takes_its_first_line_as_the_title(tmp_path: Path) -> None:
    path = tmp_path / "potash.txt"
    path.write_text(TEXT, encoding="utf-8")
    [result] = match_inputs([str(path)], None, None)
    assert set(result) == KEYS
    assert (result["path"], result["language"], result["relevant"]) == (str(path), "be", True)
    assert result["themes"][0]["id"] == "potash-raw-materials"
    title_evidence = [e for e in result["themes"][0]["evidence"] if e["field"] == "title"]
    assert [e["text"] for e in title_evidence] == ["цану", "калій"]
    title = TEXT.splitlines()[0]
    assert all(title[e["start"] : e["end"]] == e["text"] for e in title_evidence)
    json.dumps(result)  # plain data, ready for --format json


def test_html_is_reduced_to_its_title_and_main_text(tmp_path: Path) -> None:
    path = tmp_path / "potash.html"
    path.write_bytes(HTML.encode("utf-8"))
    title, body = split_document(HTML)
    assert title == "China Pushes Down the Price of Belarusian Potash"
    assert "Chinese buyers have won" in body and "Home" not in body and "©" not in body
    [result] = match_inputs([str(path)], None, None)
    assert result["language"] == "en" and result["relevant"]
    assert "potash-raw-materials" in [t["id"] for t in result["themes"]]


def test_standard_input_is_read_for_a_dash() -> None:
    results = match_inputs(["-"], None, TEXT.encode())
    assert results[0]["path"] == "-" and results[0]["relevant"]
    with pytest.raises(ValueError, match="standard input"):
        match_inputs(["-"], None, None)


def test_an_irrelevant_text_has_no_themes() -> None:
    [result] = match_inputs(["-"], None, "Погода\nВ Минске завтра дождь, в Бресте солнечно.\n".encode())
    assert result["relevant"] is False and result["themes"] == [] and result["relevance"] < 0.5


def test_an_unreadable_path_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "absent.txt"
    with pytest.raises(ValueError) as raised:
        match_inputs([str(missing)], None, None)
    assert str(missing) in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(ValueError, match="directory"):
        match_inputs([str(tmp_path)], None, None)


def test_a_themes_file_changes_the_verdict(tmp_path: Path) -> None:
    themes = tmp_path / "themes.toml"
    themes.write_text('[sides.china]\nthreshold = 50.0\n', encoding="utf-8")
    [result] = match_inputs(["-"], themes, TEXT.encode())
    assert result["relevant"] is False


def test_the_table_has_a_row_per_input(tmp_path: Path) -> None:
    results = match_inputs(["-", "-"], None, TEXT.encode())
    out = io.StringIO()
    write_rows(results, "table", MATCH_COLUMNS, out, table_columns=MATCH_TABLE_COLUMNS,
               table_cells=_match_cells)
    table = out.getvalue().splitlines()
    assert table[0].split() == ["path", "lang", "relevant", "relevance", "themes"]
    assert len(table) == 4
    assert "potash-raw-materials" in table[2] and table[2].split()[:3] == ["-", "be", "yes"]
