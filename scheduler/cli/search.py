"""Commands for readers: search, export, and rebuilding the full-text index."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from scheduler.cli import context
from scheduler.cli.display import highlight
from scheduler.cli.options import db_option, setting_option
from scheduler.cli.output import format_option, write_rows
from storage.fulltext import fts_expression, is_advanced, query_words, rebuild_fulltext_index
from storage.search import (
    EXPORT_COLUMNS,
    MARK_CLOSE,
    MARK_OPEN,
    ArticleFilters,
    export_rows,
    filter_problem,
    search_articles,
)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-09-30") from None


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--outlet, --theme, --since, --until, --relevant, shared by search and export."""
    for option in reversed((
        click.option("--outlet", help="Only this outlet (e.g. charter97)."),
        click.option("--theme", help="Only articles scored on this theme id."),
        click.option("--since", callback=_date, help="Published on or after this UTC date."),
        click.option("--until", callback=_date, help="Published before this UTC date."),
        click.option("--relevant", is_flag=True, help="Only articles about Belarus–China relations."),
    )):
        func = option(func)
    return func


@click.command()
@click.argument("query")
@filter_options
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@format_option()
@setting_option("themes")
@db_option
def search(query: str, outlet: str | None, theme: str | None, since: datetime | None,
           until: datetime | None, relevant: bool, limit: int, fmt: str, themes: str | None,
           db: str | None) -> None:
    """Full-text search; one word finds its inflected forms in ru, be and en.

    Example: belmon search "калий Китай" --since 2026-09-01 --relevant
    """
    from crawler.themes.stemming import query_stems  # the stemmers load dictionaries: only here

    filters = ArticleFilters(outlet, theme, since, until, relevant, limit)
    archive = context.open_archive(db)
    try:
        _check_filters(archive.engine, filters, themes)
        hits = search_articles(archive.engine, fts_expression(query, query_stems), filters)
    finally:
        archive.close()
    words = [] if is_advanced(query) else query_words(query)
    rows = [{
        "outlet": h.outlet,
        "published_at": h.published_at,
        "title": h.title,
        "snippet": _snippet(h.snippet, h.body, words),
        "url": h.url,
        "rank": round(-h.rank, 3),
    } for h in hits]
    write_rows(rows, fmt, SEARCH_COLUMNS, empty="no matches", max_width=SNIPPET_WIDTH,
               table_columns=TABLE_COLUMNS,
               table_cells=lambda r: [around_mark(r[c]) if c == "snippet" else r[c]
                                      for c in TABLE_COLUMNS])


SEARCH_COLUMNS = ("outlet", "published_at", "title", "snippet", "url", "rank")
TABLE_COLUMNS = SEARCH_COLUMNS[:-1]  # the table is ordered best first already
SNIPPET_WIDTH = 80


def _check_filters(engine: Any, filters: ArticleFilters, themes: str | None) -> None:
    from crawler.themes import load_themes

    theme_ids = [t.id for t in load_themes(Path(themes) if themes else None).themes] \
        if filters.theme else []
    problem = filter_problem(engine, filters, theme_ids)
    if problem:
        raise click.BadParameter(problem, param_hint="--outlet" if "outlet" in problem
                                 else "--theme")


def around_mark(snippet: str, width: int = SNIPPET_WIDTH) -> str:
    """A table cell's worth of the snippet that shows its first highlight: cut before the
    mark when the mark stands past the cell's width."""
    if len(snippet) <= width:
        return snippet
    mark = snippet.find("[")
    if mark < 0 or mark < width // 2:
        return snippet[: width - 1] + "…"
    start = max(0, min(mark - width // 3, len(snippet) - width + 1))
    return "…" + snippet[start + 1 : start + width - 1] + ("…" if start + width - 1 < len(snippet)
                                                           else "")


def _snippet(fts_snippet: str, body: str, words: list[str]) -> str:
    # FTS5 marks only words that match as written; a match on a stem is marked here.
    from crawler.themes.stemming import query_stems

    if MARK_OPEN not in fts_snippet and words:
        fts_snippet = highlight(body, words, query_stems, (MARK_OPEN, MARK_CLOSE))
    return fts_snippet.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")


@click.command()
@filter_options
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@format_option("jsonl")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="Write to this file instead of stdout.")
@setting_option("themes")
@db_option
def export(outlet: str | None, theme: str | None, since: datetime | None, until: datetime | None,
           relevant: bool, limit: int | None, fmt: str, output: TextIO, themes: str | None,
           db: str | None) -> None:
    """Stream articles with their themes and story, in constant memory.

    Example: belmon export --relevant --since 2026-10-01 --format csv -o october.csv
    """
    filters = ArticleFilters(outlet, theme, since, until, relevant, limit)
    archive = context.open_archive(db)
    try:
        _check_filters(archive.engine, filters, themes)
        write_rows(export_rows(archive.engine, filters), fmt, EXPORT_COLUMNS, output,
                   empty="no articles", table_columns=EXPORT_TABLE_COLUMNS,
                   table_cells=_export_cells)
    finally:
        archive.close()


EXPORT_TABLE_COLUMNS = ("id", "outlet", "published_at", "language", "title", "themes")


def _export_cells(row: Mapping[str, Any]) -> list[Any]:
    themes = " ".join(f"{t['id']} {t['score']:.1f}" for t in row["themes"])
    return [row["id"], row["outlet"], row["published_at"], row["language"], row["title"], themes]


@click.command()
@db_option
def reindex(db: str | None) -> None:
    """Rebuild the full-text index from the articles table.

    Example: belmon reindex
    """
    archive = context.open_archive(db)
    try:
        count = rebuild_fulltext_index(archive.engine)
    finally:
        archive.close()
    click.echo(f"full-text index rebuilt: {count} articles")
