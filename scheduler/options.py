"""Command-line options built from the settings declared in scheduler/config.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from scheduler.config import setting


def setting_option(name: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A click option for a declared setting: its flag, environment variable, default and help."""
    s = setting(name)
    default: Any = s.default == "true" if kw.get("is_flag") else s.default
    return click.option("--" + s.name, envvar=s.env, default=default, show_envvar=True,
                        help=s.help, **kw)


db_option = setting_option("db")
sources_option = setting_option("sources")

base_url_option = click.option(
    "--base-url", "base_urls", multiple=True, metavar="[OUTLET=]URL",
    help="Fetch from this base URL instead (mirror or replica); repeatable.",
)


def fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """How pages are fetched and read, shared by `crawl` and `daemon` (which hands them on)."""
    for option in reversed((
        setting_option("delay", type=click.FloatRange(min=0)),
        setting_option("timeout", type=click.FloatRange(min=1)),
        setting_option("user-agent"),
        setting_option("obey-robots", is_flag=True),
        setting_option("themes"),
        setting_option("dedup-threshold", type=click.FloatRange(0.01, 1.0)),
        setting_option("workers", type=click.IntRange(min=0)),
    )):
        func = option(func)
    return func
