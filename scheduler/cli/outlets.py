"""`belmon outlets`: the outlets belmon follows, and `belmon outlets check ID` for one of them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import click

from crawler.options import CrawlOptions
from scheduler.cli import context
from scheduler.cli.options import (
    base_url_option,
    crawl_option_values,
    crawl_options,
    db_option,
    sources_option,
)
from scheduler.cli.output import format_option, write_rows
from scheduler.outlet_check import CHECK_COLUMNS, OutletCheck, check_outlet, field_rows
from scheduler.outlets import OUTLET_COLUMNS, editions_text, outlet_rows
from storage.archive import Archive
from storage.engine import ArchiveError


@click.group(invoke_without_command=True)
@format_option()
@db_option
@sources_option
@click.pass_context
def outlets(ctx: click.Context, fmt: str, db: str | None, sources: str | None) -> None:
    """List the outlets belmon follows: editions, discovery, schedule, articles stored, last
    run, health and how their pages read (the archive's columns stay empty without one).

    Example: belmon outlets --sources my-outlets.toml
    """
    if ctx.invoked_subcommand is not None:
        return
    registry = context.load_registry(sources)
    archive = _existing_archive(db)
    try:
        rows = outlet_rows(registry, archive, datetime.now(UTC))
    finally:
        if archive is not None:
            archive.close()
    write_rows(rows, fmt, OUTLET_COLUMNS, table_cells=_cells, table_columns=(
        "outlet", "name", "editions", "discovery", "schedule", "articles", "last run (UTC)",
        "status", "health"))


def _existing_archive(db: str | None) -> Archive | None:
    try:
        url = context.resolve_db(db, create=False)
    except ArchiveError:  # no archive yet: the list still shows what is configured
        return None
    return context.open_archive(url)


def _cells(row: Mapping[str, Any]) -> list[Any]:
    schedule = row["schedule"] if row["enabled"] else "disabled"
    return [row["outlet"], row["name"], editions_text(row["editions"]), row["discovery"],
            schedule, row["articles"], row["last_run_at"], row["last_status"], row["health"]]


@outlets.command("check")
@click.argument("outlet")
@base_url_option
@crawl_options
@format_option()
@sources_option
def check(outlet: str, base_urls: tuple[str, ...], fmt: str, sources: str | None,
          **settings: Any) -> None:
    """Fetch one feed or listing page and one article of each edition of OUTLET now, and show
    which fields were found and where (selector, JSON-LD, meta tags, main text...). Run it
    after adding an outlet, and when one starts reading badly. Nothing is stored.

    Exits with status 1 when an edition gives no article.

    Example: belmon outlets check myoutlet --sources my-outlets.toml
    """

    chosen = context.select_sources([outlet], sources, base_urls)[0]
    report = check_outlet(chosen, CrawlOptions(**crawl_option_values(settings)))
    rows = field_rows(report)
    if fmt != "table":
        write_rows(rows, fmt, CHECK_COLUMNS)
    else:
        _print_check(report, rows)
    if report.unread:
        names = ", ".join(e or "(the one edition)" for e in report.unread)
        raise click.ClickException(f"{chosen.id}: no article read for {names}"
                                   + (f" ({report.run.message})" if report.run.message else ""))


def _print_check(report: OutletCheck, rows: list[dict[str, Any]]) -> None:
    run = report.run
    click.echo(f"{report.source.id} ({report.source.name}): run {run.status}, "
               f"{run.pages_fetched} pages fetched"
               + (f" — {run.message}" if run.message else ""))
    for edition in report.editions:
        mine = [r for r in rows if r["edition"] == (edition.edition or None)]
        click.echo("")
        click.echo(f"edition {edition.edition or '(one)'}: {edition.discovery}")
        if edition.article is None:
            click.echo("  no article read")
            continue
        click.echo(f"  {edition.article.url}  (extractor: {edition.article.extractor})")
        write_rows(mine, "table", ("field", "found", "source", "value"), table_cells=lambda r: [
            r["field"], "yes" if r["found"] else "no", r["source"] or "-", r["value"] or ""])

