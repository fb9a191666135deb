"""Commands about themes: match texts, rescore the archive, register reference texts."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from scheduler.cli import context
from scheduler.cli.options import db_option, setting_option
from scheduler.cli.output import format_option, write_rows
from scheduler.config import default_db_path
from storage.engine import as_url, sqlite_path
from storage.references import Reference, reference_vectors, save_reference

themes_option = setting_option("themes")


@click.command("match")
@click.argument("paths", nargs=-1, required=True)
@format_option("jsonl")
@themes_option
@db_option
def match_command(paths: tuple[str, ...], fmt: str, themes: str | None, db: str | None) -> None:
    """Score text or HTML files (or - for stdin) against the themes, without storing anything.

    Reference similarities are shown when the archive exists and holds reference texts.

    Example: belmon match article.html notes.txt --format table
    """
    from crawler.themes.documents import STDIN, match_inputs  # numpy, lxml: only here

    stdin = sys.stdin.buffer.read() if STDIN in paths else None
    references = _existing_references(db)
    results = match_inputs(list(paths), Path(themes) if themes else None, stdin, references)
    write_rows(results, fmt, MATCH_COLUMNS, table_columns=MATCH_TABLE_COLUMNS,
               table_cells=_match_cells, max_width=80)


MATCH_COLUMNS = ("path", "language", "read_as", "relevant", "relevance", "themes", "references")
MATCH_TABLE_COLUMNS = ("path", "lang", "relevant", "relevance", "themes")


def _match_cells(r: Mapping[str, Any]) -> list[Any]:
    """One input's table cells: its language (and what it was read as), themes with scores."""
    language = r["language"] if r["read_as"] in (r["language"], f"{r['language']}-latn") \
        else f"{r['language']} (read as {r['read_as']})"
    themes = ", ".join(f"{t['id']} {t['score']:.1f}" for t in r["themes"]) or "-"
    return [r["path"], language, "yes" if r["relevant"] else "no", f"{r['relevance']:.3f}", themes]


def _existing_references(db: str | None) -> dict[str, dict[str, float]]:
    """References of an archive that already exists; match never creates one."""
    url = as_url(db or default_db_path())
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return {}
    archive = context.open_archive(url)
    try:
        return reference_vectors(archive.engine)
    finally:
        archive.close()


@click.command()
@setting_option("workers")
@themes_option
@db_option
def rematch(workers: int | None, themes: str | None, db: str | None) -> None:
    """Rescore every stored article after the theme definitions or references change.

    Example: belmon rematch --themes my-themes.toml
    """
    from crawler.pool import rescore_batches
    from crawler.themes import load_themes
    from storage.rematch import rematch_archive

    themes_file = Path(themes) if themes else None
    load_themes(themes_file)  # a bad themes file fails here, before any work
    archive = context.open_archive(db)
    try:
        references = reference_vectors(archive.engine)
        done = rematch_archive(
            archive.engine,
            lambda batches: rescore_batches(batches, themes_file, references, workers),
            _progress,
        )
    finally:
        archive.close()
    click.echo(f"rescored {done} articles")


def _progress(done: int, total: int) -> None:
    click.echo(f"rescored {done}/{total}", err=True)


@click.group()
def reference() -> None:
    """Reference texts every article is compared with (the seed articles first).

    Example: belmon reference add ../shared/seeds/*.txt
    """


@reference.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@themes_option
@db_option
def reference_add(files: tuple[str, ...], themes: str | None, db: str | None) -> None:
    """Register text or HTML files as references (named by file name); run rematch afterwards.

    Example: belmon reference add ../shared/seeds/*.txt && belmon rematch
    """
    from crawler.themes import concept_vector, load_themes
    from crawler.themes.documents import read_document
    from crawler.themes.reading import reading

    theme_set = load_themes(Path(themes) if themes else None)
    documents = [(name, read_document(name)) for name in files]  # all readable, or none added
    archive = context.open_archive(db)
    try:
        for name, (title, body) in documents:
            language, _mode = reading(body, title)
            vector = concept_vector(body, title, language, theme_set)
            new = save_reference(archive.engine, Reference(Path(name).name, language, title, body,
                                                           vector))
            click.echo(f"{'added' if new else 'updated'} reference {Path(name).name} "
                       f"({language}, {len(vector)} concepts)")
    finally:
        archive.close()


@reference.command("list")
@format_option()
@db_option
def reference_list(fmt: str, db: str | None) -> None:
    """List the registered reference texts.

    Example: belmon reference list
    """
    archive = context.open_archive(db)
    try:
        vectors = reference_vectors(archive.engine)
    finally:
        archive.close()
    rows = [{"reference": name, "concepts": sorted(v, key=v.__getitem__, reverse=True)[:5]}
            for name, v in sorted(vectors.items())]
    write_rows(rows, fmt, ("reference", "concepts"), empty="no reference texts yet",
               max_width=90, table_columns=("reference", "strongest concepts"),
               table_cells=lambda r: [r["reference"], ", ".join(r["concepts"])])
