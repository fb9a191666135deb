"""Command-line options built from the settings declared in scheduler/config.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scheduler.config import CRAWL_SETTINGS, Setting, setting

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def setting_option(name: str, dest: str | None = None, **kw: Any) -> Decorator:
    """A click option for a declared setting: its flag, environment variable, default and help."""
    s = setting(name)
    if s.kind is bool:
        kw.setdefault("is_flag", True)
    default: Any = s.default == "true" if kw.get("is_flag") else s.default
    if s.old_env and s.old_env in os.environ and s.env not in os.environ:
        default = os.environ[s.old_env]  # the deprecated spelling, when the new one is unset
    kw.setdefault("type", _click_type(s))
    return click.option("--" + s.name, dest or s.flag.replace("-", "_"), envvar=s.env,
                        default=default, show_envvar=True, help=s.help, **kw)


def _click_type(s: Setting) -> Any:
    if s.kind is float:
        return click.FloatRange(min=s.minimum, max=s.maximum)
    if s.kind is int:
        return click.IntRange(min=None if s.minimum is None else int(s.minimum),
                              max=None if s.maximum is None else int(s.maximum))
    if s.kind is Path:
        return click.Path(dir_okay=False, path_type=Path)
    return None


db_option = setting_option("db")
sources_option = setting_option("sources")

base_url_option = click.option(
    "--base-url", "base_urls", multiple=True, metavar="[OUTLET[.EDITION]=]URL",
    help="Fetch from this base URL instead (mirror or replica); OUTLET.EDITION=URL for an "
         "edition on a host of its own; repeatable.",
)


def crawl_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Every crawl setting as an option, shared by `crawl` and `daemon` (which hands them on).

    The command receives each under its CrawlOptions field name; `crawl_option_values`
    picks them out again.
    """
    for s in reversed(CRAWL_SETTINGS):
        func = setting_option(s.flag, s.option)(func)
    return func


def crawl_option_values(params: dict[str, Any]) -> dict[str, Any]:
    """The CrawlOptions keyword arguments among a command's parameters (unset ones left out)."""
    values = {s.option: params.pop(s.option) for s in CRAWL_SETTINGS if s.option in params}
    return {k: v for k, v in values.items() if v is not None or k == "download_delay"}
