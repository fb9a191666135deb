"""The library behind `belmon match`: score text or HTML files against the themes, no archive."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawler.extraction.decoding import decode_html
from crawler.extraction.textnorm import clean_text
from crawler.themes.definitions import load_themes
from crawler.themes.matcher import MatchResult, match
from crawler.themes.references import similarities

STDIN = "-"
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|article)[\s>]", re.IGNORECASE)


def match_inputs(
    paths: list[str], themes_file: Path | None, stdin: bytes | None,
    references: Mapping[str, Mapping[str, float]] | None = None,
) -> list[dict[str, Any]]:
    """One result per input, in order: `{"path", "language", "relevant", "relevance", "themes"}`.

    A path of "-" is the standard input, given as `stdin`. HTML is reduced to its main
    text and <title>; in plain text the first non-empty line is the title. An unreadable,
    empty or binary input, or a bad themes file, raises ValueError (or OSError) with a
    one-line message, before anything is scored.
    """
    themes = load_themes(themes_file)
    documents = [(path, read_document(path, stdin)) for path in paths]
    results = []
    for path, (title, body) in documents:
        matched = match(body, title, None, themes)
        result = result_dict(path, matched)
        if references:
            result["references"] = similarities(matched.concepts, references)
        results.append(result)
    return results


def result_dict(path: str, result: MatchResult) -> dict[str, Any]:
    """The JSON shape of one match."""
    return {
        "path": path,
        "language": result.language,
        # The matcher has terms in ru, be (Cyrillic and Łacinka) and en only; a text in
        # another language is read as the nearest of them, and this says which.
        "read_as": result.reading,
        "relevant": result.relevant,
        "relevance": result.relevance,
        "themes": [t.to_dict() for t in result.themes],
    }


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

    from crawler.extraction.maintext import main_text_paragraphs

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


def read_document(path: str, stdin: bytes | None = None) -> tuple[str, str]:
    """(title, body) of a text or HTML file ("-": the standard input, given as `stdin`).

    What is not text (a program, an image: NUL or other control bytes), what is empty, and
    what holds no words is refused with a ValueError naming the input.
    """
    data = _read(path, stdin)
    name = "standard input" if path == STDIN else path
    if not data.strip():
        raise ValueError(f"{name}: is empty")
    if _looks_binary(data):
        raise ValueError(f"{name}: is not text or HTML (binary data)")
    title, body = split_document(decode_html(data, None))
    if not _WORD.search(f"{title} {body}"):
        raise ValueError(f"{name}: holds no text to read")
    return title, body


def _looks_binary(data: bytes) -> bool:
    # Text files never hold NUL, and hardly any other C0 control byte but tab, newline,
    # carriage return and form feed; executables, images and archives are full of them.
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
    return controls > len(head) * 0.05


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_WORD = re.compile(r"[^\W\d_]{2,}")


def _read(path: str, stdin: bytes | None) -> bytes:
    if path == STDIN:
        if stdin is None:
            raise ValueError("'-' names the standard input, but none was given")
        return stdin
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise ValueError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror or exc})") from None
