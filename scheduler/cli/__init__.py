"""The `belmon` command: a thin skin over the library; each command parses, calls, prints."""

from __future__ import annotations

import logging
import sys

import click

from crawler.sources import SourceError
from scheduler.cli import archive as cmd_archive
from scheduler.cli import crawl as cmd_crawl
from scheduler.cli import daemon as cmd_daemon
from scheduler.cli import outlets as cmd_outlets
from scheduler.cli import search as cmd_search
from scheduler.cli import themes as cmd_themes
from scheduler.cli.options import setting_option
from scheduler.logs import configure_logging
from storage.engine import ArchiveError
from storage.sql import QueryError

USER_ERRORS = (SourceError, ArchiveError, QueryError, ValueError, OSError)


LOG_LEVELS = click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="belmon", prog_name="belmon")
@setting_option("log-level", type=LOG_LEVELS)
def cli(log_level: str) -> None:
    """belmon follows Belarus–China relations across Belarusian news outlets.

    Example: belmon demo
    """
    configure_logging(log_level)


def _set_log_level(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        configure_logging(value)


def _with_log_level(command: click.Command) -> None:
    """`--log-level` is accepted after the command too (`belmon crawl --log-level DEBUG`)."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _with_log_level(sub)
        return
    command.params.append(click.Option(
        ["--log-level"], type=LOG_LEVELS, default=None, expose_value=False, is_eager=True,
        callback=_set_log_level, help="DEBUG, INFO, WARNING or ERROR (as belmon --log-level)."))


for command in (cmd_archive.init, cmd_archive.sql, cmd_archive.status,
                cmd_crawl.crawl, cmd_crawl.demo, cmd_crawl.replica, cmd_daemon.daemon,
                cmd_outlets.outlets,
                cmd_search.search, cmd_search.export, cmd_search.reindex,
                cmd_themes.match_command, cmd_themes.rematch, cmd_themes.reference):
    _with_log_level(command)
    cli.add_command(command)


def main() -> None:
    """Entry point: user errors become one line and exit status 1, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:  # one line, like every other error; --help shows the usage
        hint = f" (see belmon {exc.ctx.command_path.partition(' ')[2]} --help)".replace("  ", " ") \
            if exc.ctx is not None else ""
        click.echo(f"Error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
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
