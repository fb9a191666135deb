"""The daemon command: every enabled outlet crawled on its schedule, in the foreground."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from crawler.options import CrawlOptions
from scheduler.child import ChildCommand
from scheduler.cli import context
from scheduler.cli.options import (
    base_url_option,
    crawl_option_values,
    crawl_options,
    db_option,
    setting_option,
    sources_option,
)
from scheduler.daemon import DaemonOptions, run_daemon


@click.command()
@click.argument("outlets", nargs=-1)
@base_url_option
@setting_option("catch-up-pages")
@setting_option("crawl-timeout")
@setting_option("stop-timeout")
@setting_option("max-crawls")
@setting_option("outlets-per-crawl")
@crawl_options
@db_option
@sources_option
def daemon(outlets: tuple[str, ...], base_urls: tuple[str, ...], catch_up_pages: int,
           crawl_timeout: float, stop_timeout: float, max_crawls: int | None,
           outlets_per_crawl: int, db: str | None,
           sources: str | None, **settings: Any) -> None:
    """Crawl the outlets on their schedules until SIGTERM or Ctrl-C; each crawl is a child process
    that crawls a group of outlets due together.

    Runs in the foreground and logs to stderr, for systemd or a container to supervise.

    Example: belmon daemon --db ~/belmon.sqlite
    """
    chosen = context.select_sources(outlets, sources, base_urls)
    values = crawl_option_values(settings)
    if values.get("themes_file"):
        values["themes_file"] = values["themes_file"].resolve()  # the child runs elsewhere
    child = ChildCommand(
        db=context.resolve_db(db), sources_file=str(Path(sources).resolve()) if sources else None,
        log_level=logging.getLevelName(logging.getLogger().getEffectiveLevel()),
    )
    capped = {"max_crawls": max_crawls} if max_crawls else {}  # else DaemonOptions' default
    run_daemon(chosen, DaemonOptions(child, CrawlOptions(**values), catch_up_pages=catch_up_pages,
                                     crawl_timeout=crawl_timeout, stop_timeout=stop_timeout,
                                     outlets_per_crawl=outlets_per_crawl, **capped))
