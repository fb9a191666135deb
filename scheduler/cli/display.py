"""Plain-text tables and summaries for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.fulltext import WORD, Stemmer
from storage.queries import RunView


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    """Rows as an aligned text table."""
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def _cell(value: Any, max_width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bytes):
        return f"<blob, {len(value)} bytes>"
    text = str(value).replace("\n", " ")
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def runs_table(runs: Sequence[RunView]) -> str:
    columns = ("outlet", "run", "trigger", "status", "started (UTC)", "pages", "articles",
               "new", "skipped", "dupes", "rejected")
    rows = [
        (r.outlet, r.id, r.trigger, r.status, r.started_at, r.pages_fetched,
         r.article_pages_fetched, r.articles_new, r.articles_skipped, r.articles_duplicate,
         _rejected(r))
        for r in runs
    ]
    return table(columns, rows)


def _rejected(run: RunView) -> str:
    if not run.articles_rejected:
        return "0"
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(run.rejected_reasons.items()))
    return f"{run.articles_rejected} ({reasons})"


def highlight(text: str, words: list[str], stem: Stemmer, marks: tuple[str, str],
              width: int = 24) -> str:
    """A window of `text` around its first word whose stem is one of the query's, marked."""
    wanted = {s for w in words for s in stem(w)} | {w.casefold() for w in words}
    tokens = list(WORD.finditer(text))
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
