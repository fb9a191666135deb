"""Commands that fetch: crawl, demo, and the replica they can fetch from."""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from crawler.options import TRIGGERS, CrawlOptions
from scheduler.child import EXIT_BUSY
from scheduler.cli import context
from scheduler.cli.display import runs_table
from scheduler.cli.options import (
    base_url_option,
    crawl_option_values,
    crawl_options,
    db_option,
    sources_option,
)
from scheduler.cli.output import format_option, write_rows
from storage import queries
from storage.locks import LockBusy, hold_free_outlets, hold_outlets
from storage.queries import RUN_COLUMNS

log = logging.getLogger(__name__)
EXIT_STOPPED = 130  # the shell's status for a command ended by Ctrl-C


class OutletBusy(click.ClickException):
    """An outlet is being crawled by another process and --wait was not given."""

    exit_code = EXIT_BUSY


@click.command()
@click.argument("outlets", nargs=-1)
@base_url_option
@click.option("--refetch", is_flag=True, help="Fetch articles already in the archive again.")
@click.option("--wait/--no-wait", default=False,
              help="When another process is crawling an outlet: wait for it to finish, or "
                   "(the default) exit with status 75 at once.")
@click.option("--skip-busy", is_flag=True,
              help="Crawl the outlets no other process is crawling and skip the others (exit "
                   "status 75 only when every one is busy); the daemon's crawls do this.")
@click.option("--trigger", type=click.Choice(TRIGGERS), default="manual",
              show_default=True, help="Why the crawl runs, as recorded in crawl_runs (the daemon "
                                      "passes schedule or catch-up, the demo demo).")
@crawl_options
@format_option()
@db_option
@sources_option
def crawl(outlets: tuple[str, ...], base_urls: tuple[str, ...], refetch: bool, wait: bool,
          skip_busy: bool, trigger: str, fmt: str, db: str | None, sources: str | None,
          **settings: Any) -> None:
    """Crawl outlets now (all enabled outlets when none is named) and print a summary.

    An outlet being crawled by another process (the daemon, say) makes the command exit
    with status 75, or wait for it with --wait.

    Example: belmon crawl charter97 --base-url http://127.0.0.1:8097
    """
    from crawler.run import run_crawl  # Scrapy: only where a crawl really runs

    chosen = context.select_sources(outlets, sources, base_urls)
    options = CrawlOptions(trigger=trigger, refetch=refetch, **crawl_option_values(settings))
    url = context.resolve_db(db)
    if skip_busy:
        locks, held, busy = hold_free_outlets(url, (s.id for s in chosen))
        for taken in busy:
            log.info("%s: skipped, another process is crawling it", taken.name)
        if not held:
            raise OutletBusy("; ".join(_busy_text(b) for b in busy))
        chosen = [s for s in chosen if s.id in held]
    else:
        try:
            locks = hold_outlets(url, (s.id for s in chosen), wait=wait, on_wait=_waiting)
        except LockBusy as busy:
            raise OutletBusy(f"{_busy_text(busy)}; use --wait to wait") from None
    with locks:
        archive = context.open_archive(url, create=True)
        try:
            run_ids = run_crawl(chosen, archive, options)
            runs = queries.runs_by_id(archive.engine, run_ids)
        finally:
            archive.close()
    if fmt == "table":
        click.echo(runs_table(runs))
    else:
        write_rows((asdict(r) for r in runs), fmt, RUN_COLUMNS)
    if any(r.status == "failed" for r in runs):
        raise click.ClickException("; ".join(f"{r.outlet}: {r.message}" for r in runs
                                             if r.status == "failed"))
    stopped = [r.outlet for r in runs if r.status == "stopped"]
    if stopped:
        click.echo(f"stopped before the end: {', '.join(stopped)}", err=True)
        raise SystemExit(EXIT_STOPPED)


def _busy_text(busy: LockBusy) -> str:
    return f"{busy.name} is being crawled by {f'pid {busy.pid}' if busy.pid else 'another process'}"


def _waiting(busy: LockBusy) -> None:
    log.info("%s; waiting for it to finish", _busy_text(busy))


@click.command()
@click.option("--db", default=None, metavar="PATH",
              help="The demo's own archive (default: demo.sqlite in the user data directory). "
                   "Never the real archive: BELMON_DB is not read, and an archive that holds "
                   "real crawls is refused.")
def demo(db: str | None) -> None:
    """Start the replica on loopback, crawl every outlet from it, show what was stored.

    The replica's articles are stored under the real outlets' URLs, so the demo writes to an
    archive of its own, and says where.

    Example: belmon demo --db /tmp/demo.sqlite
    """
    from scheduler.cli.demo import demo_archive_url, run_demo

    run_demo(demo_archive_url(db), click.echo)


@click.command()
@click.option("--port", type=click.IntRange(0, 65534), default=8097, show_default=True,
              help="Port of the first outlet; the next outlets take the following ports.")
@click.option("--drop-dir", type=click.Path(file_okay=False), default=None,
              help="Folder of extra article files (<outlet>/<lang>-<id>.toml) picked up live.")
def replica(port: int, drop_dir: str | None) -> None:
    """Serve the local replica of the outlets in the foreground (Ctrl-C stops it).

    Example: belmon replica --port 8097
    """
    from replica.server import serve_forever

    serve_forever(port, Path(drop_dir) if drop_dir else None)
