"""The `belmon` command: a thin skin over the library; each command parses, calls, prints."""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from crawler.run import CrawlOptions, run_crawl
from crawler.sources import SourceError
from scheduler import context
from scheduler.config import setting
from scheduler.display import runs_table, table
from scheduler.logs import configure_logging
from storage import migrate, queries
from storage.engine import ArchiveError
from storage.readonly import QueryError, run_query

USER_ERRORS = (SourceError, ArchiveError, QueryError, ValueError, OSError)


def _option(name: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    s = setting(name)
    default: Any = s.default == "true" if kw.get("is_flag") else s.default
    return click.option("--" + s.name, envvar=s.env, default=default, show_envvar=True,
                        help=s.help, **kw)


db_option = _option("db")
sources_option = _option("sources")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_option("log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"],
                                        case_sensitive=False))
def cli(log_level: str) -> None:
    """belmon follows Belarus–China relations across Belarusian news outlets.

    Example: belmon demo
    """
    configure_logging(log_level)


@cli.command()
@db_option
def init(db: str | None) -> None:
    """Create the archive, or upgrade it to the newest schema.

    Example: belmon init --db ~/belmon.sqlite
    """
    url = context.resolve_db(db)
    archive = context.open_archive(url)
    revision = migrate.current_revision(archive.engine)
    archive.close()
    click.echo(f"archive ready: {url} (schema {revision})")


@cli.command()
@click.argument("outlets", nargs=-1)
@click.option("--base-url", "base_urls", multiple=True, metavar="[OUTLET=]URL",
              help="Fetch from this base URL instead (mirror or replica); repeatable.")
@click.option("--refetch", is_flag=True, help="Fetch articles already in the archive again.")
@_option("max-pages", type=click.IntRange(min=1))
@_option("delay", type=click.FloatRange(min=0))
@_option("timeout", type=click.FloatRange(min=1))
@_option("user-agent")
@_option("obey-robots", is_flag=True)
@db_option
@sources_option
def crawl(outlets: tuple[str, ...], base_urls: tuple[str, ...], refetch: bool, max_pages: int,
          delay: float | None, timeout: float, user_agent: str | None, obey_robots: bool,
          db: str | None, sources: str | None) -> None:
    """Crawl outlets now (all enabled outlets when none is named) and print a summary.

    Example: belmon crawl charter97 --base-url http://127.0.0.1:8097
    """
    chosen = context.select_sources(outlets, sources, base_urls)
    options = CrawlOptions(trigger="manual", refetch=refetch, max_pages=max_pages,
                           download_delay=delay, timeout=timeout, obey_robots=obey_robots,
                           user_agent=user_agent)
    archive = context.open_archive(db)
    try:
        run_ids = run_crawl(chosen, archive, options)
        runs = queries.runs_by_id(archive.engine, run_ids)
    finally:
        archive.close()
    click.echo(runs_table(runs))
    if any(r.status == "failed" for r in runs):
        raise click.ClickException("; ".join(f"{r.source_id}: {r.message}" for r in runs
                                             if r.status == "failed"))


@cli.command()
@db_option
def demo(db: str | None) -> None:
    """Start the replica on loopback, crawl every outlet from it, show what was stored.

    Example: belmon demo --db /tmp/demo.sqlite
    """
    from scheduler.demo import run_demo

    run_demo(context.resolve_db(db), click.echo)


@cli.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print rows as JSON objects, one a line.")
@click.option("--csv", "as_csv", is_flag=True, help="Print rows as CSV with a header.")
@db_option
def sql(query: str, as_json: bool, as_csv: bool, db: str | None) -> None:
    """Run one read-only SQL statement on the archive.

    Example: belmon sql "select source_id, count(*) from articles group by 1"
    """
    archive = context.open_archive(db)
    try:
        columns, rows = run_query(archive.engine, query)
    finally:
        archive.close()
    if as_json:
        for row in rows:
            click.echo(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        click.echo(table(columns, rows))


@cli.command()
@db_option
def status(db: str | None) -> None:
    """Show the archive's path, articles per outlet and each outlet's last run.

    Example: belmon status
    """
    url = context.resolve_db(db)
    archive = context.open_archive(url)
    try:
        counts = queries.article_counts(archive.engine)
        runs = queries.last_runs(archive.engine)
    finally:
        archive.close()
    click.echo(f"archive: {url}")
    click.echo(table(("outlet", "articles"), sorted(counts.items())))
    click.echo("")
    click.echo(runs_table(runs) if runs else "no crawl has run yet")


@cli.command()
@click.option("--port", type=click.IntRange(0, 65534), default=8097, show_default=True,
              help="Port of the first outlet; the next outlets take the following ports.")
@click.option("--drop-dir", type=click.Path(file_okay=False), default=None,
              help="Folder of extra article files (<outlet>/<lang>-<id>.toml) picked up live.")
def replica(port: int, drop_dir: str | None) -> None:
    """Serve the local replica of the outlets in the foreground (Ctrl-C stops it).

    Example: belmon replica --port 8097
    """
    from pathlib import Path

    from crawler.replica.server import serve_forever

    serve_forever(port, Path(drop_dir) if drop_dir else None)


def main() -> None:
    """Entry point: user errors become one line and exit status 1, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except USER_ERRORS as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug: say so in one line, keep the traceback for --log-level DEBUG
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        click.echo(f"Error: unexpected {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
