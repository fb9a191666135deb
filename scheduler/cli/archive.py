"""Commands on the archive itself: init, sql, status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import click

from scheduler.cli import context
from scheduler.cli.display import runs_table, table
from scheduler.cli.options import db_option, setting_option
from scheduler.cli.output import format_option, write_rows
from scheduler.status import STATUS_COLUMNS, archive_status
from storage import migrate
from storage.sql import run_query


@click.command()
@db_option
def init(db: str | None) -> None:
    """Create the archive, or upgrade it to the newest schema.

    Example: belmon init --db ~/belmon.sqlite
    """
    url = context.resolve_db(db)
    archive = context.open_archive(url, create=True)
    revision = migrate.current_revision(archive.engine)
    archive.close()
    click.echo(f"archive ready: {url} (schema {revision})")


@click.command()
@click.argument("query")
@format_option()
@click.option("--json", "as_json", is_flag=True, hidden=True,
              help="Deprecated: the same as --format jsonl.")
@click.option("--csv", "as_csv", is_flag=True, hidden=True,
              help="Deprecated: the same as --format csv.")
@setting_option("time-limit")
@db_option
def sql(query: str, fmt: str, as_json: bool, as_csv: bool, time_limit: float,
        db: str | None) -> None:
    """Run one read-only SQL statement on the archive, stopped after --time-limit seconds.

    Values print as the archive holds them (times are text there); a BLOB is base64 in csv
    and {"$base64": true, "encoded": ...} in json and jsonl. --json and --csv are the
    deprecated spellings of --format jsonl and --format csv.

    Example: belmon sql "select outlet, count(*) from articles group by 1" --format csv
    """
    if as_json or as_csv:
        fmt = "jsonl" if as_json else "csv"
        click.echo(f"--{'json' if as_json else 'csv'} is deprecated; use --format {fmt}",
                   err=True)
    archive = context.open_archive(db)
    try:
        columns, rows = run_query(archive.engine, query, time_limit or None)
    finally:
        archive.close()
    write_rows(_records(columns, rows), fmt, columns, empty=table(columns, []),
               table_cells=lambda r: r["__cells__"])


def _records(columns: list[str], rows: list[Any]) -> list[dict[str, Any]]:
    """Each row by column name (a repeated name keeps its first value) and, for the table,
    every cell in order."""
    return [dict(reversed(list(zip(columns, row, strict=True)))) | {"__cells__": row}
            for row in rows]


@click.command()
@format_option()
@db_option
def status(fmt: str, db: str | None) -> None:
    """Show the archive, the daemon's state, each outlet's last and next run, and warnings.

    With --format json, jsonl or csv: one row per outlet (the daemon's line goes to stderr).

    Example: belmon status --format json
    """
    url = context.resolve_db(db, create=False)
    archive = context.open_archive(url)
    try:
        report = archive_status(archive, url, datetime.now(UTC))
    finally:
        archive.close()
    if fmt != "table":
        click.echo(f"archive: {url}; daemon: {report.daemon}", err=True)
        write_rows(report.outlets, fmt, STATUS_COLUMNS)
        return
    click.echo(f"archive: {url}")
    click.echo(f"daemon: {report.daemon}")
    click.echo("")
    write_rows(report.outlets, fmt, STATUS_COLUMNS, table_columns=(
        "outlet", "articles", "last run (UTC)", "status", "next run (UTC)"), table_cells=_next)
    click.echo("")
    click.echo(runs_table(report.runs) if report.runs else "no crawl has run yet")
    if report.warnings:
        click.echo("\nwarnings:")
        for warning in report.warnings:
            click.echo(f"  {warning}")


def _next(row: Mapping[str, Any]) -> list[Any]:
    since = row["crawling_since"]
    upcoming = f"crawling now ({row['crawling']}, since {since:%Y-%m-%d %H:%M})" if since \
        else row["next_run_at"]
    return [row["outlet"], row["articles"], row["last_run_at"], row["last_status"], upcoming]
