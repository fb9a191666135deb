"""The daemon command: every enabled outlet crawled on its schedule, in the foreground."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from scheduler import context
from scheduler.child import CrawlSettings
from scheduler.daemon import DaemonOptions, run_daemon
from scheduler.options import (
    base_url_option,
    db_option,
    fetch_options,
    setting_option,
    sources_option,
)


@click.command()
@click.argument("outlets", nargs=-1)
@base_url_option
@setting_option("max-pages", type=click.IntRange(min=1))
@setting_option("catch-up-pages", type=click.IntRange(min=1))
@setting_option("crawl-timeout", type=click.FloatRange(min=1))
@setting_option("stop-timeout", type=click.FloatRange(min=0.1))
@fetch_options
@db_option
@sources_option
def daemon(outlets: tuple[str, ...], base_urls: tuple[str, ...], max_pages: int,
           catch_up_pages: int, crawl_timeout: float, stop_timeout: float, delay: float | None,
           timeout: float, user_agent: str | None, obey_robots: bool, themes: str | None,
           dedup_threshold: float, workers: int | None, db: str | None,
           sources: str | None) -> None:
    """Crawl the outlets on their schedules until SIGTERM or Ctrl-C; each crawl is a child process.

    Runs in the foreground and logs to stderr, for systemd or a container to supervise.

    Example: belmon daemon --db ~/belmon.sqlite
    """
    chosen = context.select_sources(outlets, sources, base_urls)
    crawl = CrawlSettings(
        db=context.resolve_db(db), sources_file=str(Path(sources).resolve()) if sources else None,
        delay=delay, timeout=timeout, user_agent=user_agent, obey_robots=obey_robots,
        log_level=logging.getLevelName(logging.getLogger().getEffectiveLevel()),
        themes_file=str(Path(themes).resolve()) if themes else None,
        dedup_threshold=dedup_threshold, workers=workers,
    )
    run_daemon(chosen, DaemonOptions(crawl, max_pages=max_pages, catch_up_pages=catch_up_pages,
                                     crawl_timeout=crawl_timeout, stop_timeout=stop_timeout))
