"""Settings declared once: flags, environment variables, the crawl options and the child's argv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler.options import CrawlOptions
from crawler.sources import Edition, Source, load_sources
from scheduler.child import ChildCommand
from scheduler.cli.crawl import crawl
from scheduler.cli.daemon import daemon
from scheduler.cli.options import crawl_option_values
from scheduler.config import CRAWL_SETTINGS, SETTINGS
from tests.conftest import belmon_env


def test_every_variable_is_belmon_and_the_flag() -> None:
    for s in SETTINGS:
        assert s.env == "BELMON_" + s.flag.upper().replace("-", "_"), s.name


def test_every_crawl_option_field_but_the_per_run_ones_is_a_setting() -> None:
    fields = set(CrawlOptions.__dataclass_fields__)
    assert {s.option for s in CRAWL_SETTINGS} == fields - {"trigger", "refetch", "sample"}


@pytest.mark.parametrize("command", [crawl, daemon])
def test_crawl_and_daemon_take_every_crawl_setting(command: object) -> None:
    flags = {opt for p in command.params for opt in p.opts}  # type: ignore[attr-defined]
    assert {"--" + s.flag for s in CRAWL_SETTINGS} <= flags


@pytest.mark.parametrize("options", [
    CrawlOptions(),
    CrawlOptions(trigger="catch-up", refetch=True, max_pages=20, download_delay=0.25, timeout=7,
                 obey_robots=False, user_agent="tester/1", dedup_threshold=0.55,
                 themes_file=Path("/tmp/themes.toml"), workers=0),
])
def test_the_childs_command_line_carries_the_same_options(options: CrawlOptions) -> None:
    source = load_sources()["charter97"].with_base_url("http://127.0.0.1:1")
    argv = ChildCommand(db="/tmp/a.sqlite").argv([source], options)
    args = argv[argv.index("crawl") + 1:]
    ctx = crawl.make_context("crawl", args)
    params = dict(ctx.params)
    rebuilt = CrawlOptions(trigger=params["trigger"], refetch=params["refetch"],
                           **crawl_option_values(params))
    assert rebuilt == options
    assert params["base_urls"] == ("charter97=http://127.0.0.1:1",)


def test_the_childs_command_line_fetches_every_edition_where_the_daemon_does() -> None:
    """An edition on a host of its own (BelTA's blr.belta.by) is fetched by the daemon's child
    from the base URL the daemon was given for it, not from the real site."""
    source = Source(id="agency", name="Agency", base_url="http://127.0.0.1:1",
                    canonical_base="https://agency.example",
                    editions=(Edition("ru", feeds=("/rss",)),
                              Edition("be", feeds=("/rss",), base_url="https://be.agency.example")))
    moved = source.with_base_url("http://127.0.0.1:2", "be")
    argv = ChildCommand(db="/tmp/a.sqlite").argv([moved], CrawlOptions())
    params = crawl.make_context("crawl", argv[argv.index("crawl") + 1:]).params
    assert params["base_urls"] == ("agency=http://127.0.0.1:1", "agency.be=http://127.0.0.1:2")


def _delay_seen(**env: str) -> str:
    code = ("from scheduler.cli.crawl import crawl; "
            "print(crawl.make_context('crawl', []).params['download_delay'])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=belmon_env(**env), timeout=60, check=True)
    return result.stdout.strip()


def test_the_old_delay_variable_is_still_read_and_the_new_one_wins() -> None:
    assert _delay_seen(BELMON_DOWNLOAD_DELAY="2.5") == "2.5"
    assert _delay_seen(BELMON_DOWNLOAD_DELAY="2.5", BELMON_DELAY="0.5") == "0.5"
    help_text = subprocess.run([sys.executable, "-m", "scheduler", "crawl", "--help"],
                               capture_output=True, text=True, env=belmon_env(), timeout=60,
                               check=True).stdout
    assert "BELMON_DOWNLOAD_DELAY" in help_text and "deprecated" in help_text
