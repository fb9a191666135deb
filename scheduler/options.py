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
