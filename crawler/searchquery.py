"""Turning a reader's search words into a full-text expression that finds every inflected form."""

from __future__ import annotations

import re
from collections.abc import Callable

_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*", re.UNICODE)
_SYNTAX = re.compile(r'["*():^]|\b(AND|OR|NOT|NEAR)\b')

Stemmer = Callable[[str], tuple[str, ...]]  # a word's possible stems


def is_advanced(query: str) -> bool:
    """A query written in FTS5 syntax is passed through as the reader wrote it."""
    return bool(_SYNTAX.search(query))


def query_words(query: str) -> list[str]:
    return _WORD.findall(query)


def fts_expression(query: str, stem: Stemmer) -> str:
    """Each word must match as written or by its stem: 'Китай экспорт' finds 'Китая', 'экспорта'."""
    if is_advanced(query):
        return query
    words = query_words(query)
    if not words:
        raise ValueError("the search query has no words")
    parts = []
    for word in words:
        options = [f'"{word}"'] + [f'stems:"{s}"' for s in stem(word) if s and '"' not in s]
        parts.append(f"({' OR '.join(options)})" if len(options) > 1 else options[0])
    return " AND ".join(parts)


def highlight(text: str, words: list[str], stem: Stemmer, marks: tuple[str, str],
              width: int = 24) -> str:
    """A window of `text` around its first word whose stem is one of the query's, marked."""
    wanted = {s for w in words for s in stem(w)} | {w.casefold() for w in words}
    tokens = list(_WORD.finditer(text))
    hits = [i for i, t in enumerate(tokens) if t.group().casefold() in wanted
            or not wanted.isdisjoint(stem(t.group()))]
    if not tokens:
        return ""
    first = hits[0] if hits else 0
    start = max(0, first - width // 3)
    window = tokens[start:start + width]
    pieces = []
    cursor = window[0].start()
    for index, token in enumerate(window, start=start):
        pieces.append(text[cursor:token.start()])
        word = token.group()
        pieces.append(f"{marks[0]}{word}{marks[1]}" if index in hits else word)
        cursor = token.end()
    at_end = start + width >= len(tokens)
    if at_end:
        pieces.append(text[cursor:])
    return ("…" if start > 0 else "") + "".join(pieces).strip() + ("" if at_end else "…")
