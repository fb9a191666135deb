"""The README documents every command, every option, every setting and every outlet key."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

import click

from crawler.sources import (
    DEFAULT_SOURCES,
    EDITION_KEYS,
    SOURCE_KEYS,
    ExtractRules,
    Politeness,
)
from scheduler.cli import cli
from scheduler.config import SETTINGS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "belmon") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix} {name}")
    return found


def test_every_command_is_documented() -> None:
    missing = [name for name, _ in _commands(cli) if f"`{name}" not in README]
    assert missing == []


def test_every_option_of_every_command_is_documented() -> None:
    missing = []
    for name, command in _commands(cli):
        for param in command.params:
            for flag in [*param.opts, *param.secondary_opts]:
                if flag.startswith("--") and flag not in README and flag != "--help":
                    missing.append(f"{name} {flag}")
    assert missing == []


def test_every_setting_and_its_environment_variable_is_documented() -> None:
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in README]
    missing += [s.name for s in SETTINGS if f"`--{s.name}`" not in README]
    assert missing == []


def test_every_outlet_key_is_documented() -> None:
    data = tomllib.loads(DEFAULT_SOURCES.read_text(encoding="utf-8"))
    keys: set[str] = set()
    for outlet in data.values():
        for key, value in outlet.items():
            if key == "editions":
                keys |= {f"editions.<lang>.{k}" for e in value.values() for k in e}
            elif isinstance(value, dict):
                keys |= {f"{key}.{k}" for k in value}
            else:
                keys.add(key)
    # Every key a sources file may set, not only those the packaged file happens to use.
    keys |= set(SOURCE_KEYS) - {"editions", "extract", "politeness", "listing_links"}
    keys |= {f"editions.<lang>.{k}" for k in EDITION_KEYS}
    keys |= {f"extract.{f.name}" for f in fields(ExtractRules)}
    keys |= {f"politeness.{f.name}" for f in fields(Politeness)} | {"listing_links.selector"}
    assert sorted(k for k in keys if f"`{k}`" not in README and f"`{k}`," not in README) == []


def test_every_command_help_has_an_example() -> None:
    missing = [name for name, command in _commands(cli) if "Example:" not in (command.help or "")]
    assert missing == []


def test_every_run_status_is_documented() -> None:
    from storage.archive import RUN_STATUSES

    table = README.split("**Run statuses**", 1)[1].split("\n\n", 2)[1]
    missing = [s for s in RUN_STATUSES if f"| `{s}` |" not in table]
    assert missing == []


def test_the_limits_and_global_flags_are_documented_with_their_defaults() -> None:
    from scheduler.child import EXIT_BUSY
    from scheduler.cli.crawl import EXIT_STOPPED
    from scheduler.config import setting
    from storage.sql import DEFAULT_TIME_LIMIT

    assert setting("time-limit").default == f"{DEFAULT_TIME_LIMIT:g}"
    assert f"| `--time-limit` | `BELMON_TIME_LIMIT` | `{DEFAULT_TIME_LIMIT:g}` |" in README
    assert "`belmon --version`" in README and "also accepted after the\ncommand" in README
    assert f"{EXIT_BUSY} when an outlet is being crawled" in README
    assert f"{EXIT_STOPPED} when a crawl\nwas stopped" in README


def test_the_drop_dir_article_format_is_documented() -> None:
    from replica.corpus import _OPTIONAL, _REQUIRED

    table = README.split("`DIR/<outlet>/<lang>-<id>.toml`", 1)[1].split("\n\n", 3)[1]
    assert table.startswith("| key |")
    missing = [k for k in (*_REQUIRED, *_OPTIONAL) if k != "outlet" and f"`{k}`" not in table]
    assert missing == []
