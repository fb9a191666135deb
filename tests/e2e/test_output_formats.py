"""One output vocabulary: every command that prints rows takes --format table|json|jsonl|csv,
with the same meaning and one time format per kind of output."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from replica.server import Replica
from scheduler.cli import cli
from scheduler.cli.output import FORMATS
from tests.conftest import CorpusCrawl, base_url_args, copy_archive, run_belmon

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
TABLE_TIME = re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d\b(?!:)")

# Each row-printing command, as a user runs it on a crawled archive ({db}, {page} filled in).
ROW_COMMANDS = {
    "sql": ["sql", "select outlet, count(*) as n, max(published_at) as newest from articles "
                   "group by 1", "--db", "{db}"],
    "search": ["search", "калий", "--db", "{db}"],
    "export": ["export", "--limit", "5", "--db", "{db}"],
    "status": ["status", "--db", "{db}"],
    "match": ["match", "{page}", "--db", "{db}"],
    "reference list": ["reference", "list", "--db", "{db}"],
    "crawl": ["crawl", "--delay", "0", "--db", "{db}", "{base_url}"],
    "outlets": ["outlets", "--db", "{db}"],
    "outlets check": ["outlets", "check", "charter97", "--delay", "0", "{charter97_url}"],
}
# The key whose value must be a time in every machine format, where the command has one.
TIME_KEYS = {"search": "published_at", "export": "published_at", "status": "last_run_at",
             "crawl": "started_at", "outlets": "last_run_at"}


@pytest.fixture(scope="module")
def archive(
    tmp_path_factory: pytest.TempPathFactory, corpus_crawl: CorpusCrawl
) -> Iterator[tuple[Replica, Path, Path]]:
    folder = tmp_path_factory.mktemp("formats")
    db = copy_archive(corpus_crawl.db, folder / "archive.sqlite")
    page = folder / "note.txt"
    page.write_text("Калий для Китая\nБеларусь поставит в Китай калийные удобрения.\n",
                    encoding="utf-8")
    reference = folder / "seed.txt"
    reference.write_text("Беларусь и Китай\nКитай покупает белорусский калий.\n", encoding="utf-8")
    with Replica(port=0) as replica:
        added = run_belmon("reference", "add", str(reference), "--db", str(db))
        assert added.returncode == 0, added.stderr
        yield replica, db, page


def _args(name: str, replica: Replica, db: Path, page: Path) -> list[str]:
    args = []
    for arg in ROW_COMMANDS[name]:
        if arg == "{base_url}":
            args += base_url_args(replica)
        elif arg == "{charter97_url}":
            args += ["--base-url", replica.base_urls["charter97"]]
        else:
            args.append(arg.format(db=db, page=page))
    return args


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(ROW_COMMANDS))
def test_every_row_command_prints_each_format(
    archive: tuple[Replica, Path, Path], name: str, fmt: str
) -> None:
    replica, db, page = archive
    result = run_belmon(*_args(name, replica, db, page), "--format", fmt)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    if fmt == "json":
        rows = json.loads(out)
        assert isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
        assert rows and all(isinstance(r, dict) for r in rows)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all(None not in r for r in rows)  # no row longer than the header
    else:
        assert any(re.fullmatch(r"-+(  -+)*", line) for line in out.splitlines()), out
        if name != "sql":  # sql prints values as the archive holds them (times are text there)
            assert not re.search(r"\d\d:\d\d:\d\d", out), "a table shows times without seconds"
        if name in TIME_KEYS:
            assert TABLE_TIME.search(out), out
        return
    key = TIME_KEYS.get(name)
    if key:
        times = [r[key] for r in rows if r.get(key)]
        assert times and all(ISO_Z.match(t) for t in times), times


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield prefix + name, command  # a group may print rows itself (`belmon outlets`)
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield prefix + name, command


def test_every_format_option_offers_the_same_four_choices() -> None:
    with_format = {}
    for name, command in _commands(cli):
        option = next((p for p in command.params if "--format" in getattr(p, "opts", ())), None)
        if option is not None:
            assert isinstance(option.type, click.Choice), name
            with_format[name] = tuple(option.type.choices)
    assert set(with_format) == set(ROW_COMMANDS)
    assert set(with_format.values()) == {FORMATS}
