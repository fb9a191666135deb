"""The library behind `belmon match`: score text or HTML files against the themes, no archive."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crawler.decoding import decode_html
from crawler.textnorm import clean_text
from crawler.themes.definitions import load_themes
from crawler.themes.matcher import MatchResult, match
from crawler.themes.references import concept_vector, similarities
from scheduler.display import table

STDIN = "-"
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|article)[\s>]", re.IGNORECASE)


def match_inputs(
    paths: list[str], themes_file: Path | None, stdin_text: str | None,
    references: Mapping[str, Mapping[str, float]] | None = None,
) -> list[dict[str, Any]]:
    """One result per input, in order: `{"path", "language", "relevant", "relevance", "themes"}`.

    A path of "-" is the standard input, given as `stdin_text`. HTML is reduced to its main
    text and <title>; in plain text the first non-empty line is the title. An unreadable
    path or a bad themes file raises ValueError (or OSError) with a one-line message.
    """
    themes = load_themes(themes_file)
    results = []
    for path in paths:
        title, body = split_document(_read(path, stdin_text))
        result = result_dict(path, match(body, title, None, themes))
        if references:
            vector = concept_vector(body, title, None, themes)
            result["references"] = similarities(vector, references)
        results.append(result)
    return results


def result_dict(path: str, result: MatchResult) -> dict[str, Any]:
    """The JSON shape of one match."""
    return {
        "path": path,
        "language": result.language,
        "relevant": result.relevant,
        "relevance": result.relevance,
        "themes": [t.to_dict() for t in result.themes],
    }


def format_table(results: Sequence[dict[str, Any]]) -> str:
    """Results as a terminal table: one row per input, themes with their scores."""
    rows = [
        (
            r["path"],
            r["language"],
            "yes" if r["relevant"] else "no",
            f"{r['relevance']:.3f}",
            ", ".join(f"{t['id']} {t['score']:.1f}" for t in r["themes"]) or "-",
        )
        for r in results
    ]
    return table(("path", "lang", "relevant", "relevance", "themes"), rows, max_width=80)


def split_document(raw: str) -> tuple[str, str]:
    """(title, body) of a text or HTML document."""
    if looks_like_html(raw):
        return _html_parts(raw)
    lines = [line.strip() for line in raw.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return "", ""
    return clean_text(lines[0]), "\n".join(lines[1:]).strip()


def looks_like_html(raw: str) -> bool:
    return bool(_HTML.search(raw[:2000]))


def _html_parts(raw: str) -> tuple[str, str]:
    import lxml.html
    from lxml import etree

    from crawler.fallback import main_text_paragraphs

    try:
        doc = lxml.html.document_fromstring(raw)
    except (etree.ParserError, ValueError):
        return "", clean_text(re.sub(r"<[^>]+>", " ", raw))
    found = doc.find(".//title")
    title = clean_text(found.text_content()) if found is not None else ""
    paragraphs = [p for p in main_text_paragraphs(raw) if p != title]
    if not paragraphs:  # too little text for trafilatura: take what the body says
        body_el = doc.find(".//body")
        text = (body_el if body_el is not None else doc).text_content()
        paragraphs = [clean_text(text)]
    return title, "\n\n".join(paragraphs)


def _read(path: str, stdin_text: str | None) -> str:
    if path == STDIN:
        if stdin_text is None:
            raise ValueError("'-' names the standard input, but none was given")
        return stdin_text
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ValueError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_html(data, None)
