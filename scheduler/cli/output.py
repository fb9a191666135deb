"""One output vocabulary for every command that prints rows: `--format table|json|jsonl|csv`.

table is for people (times as `YYYY-MM-DD HH:MM` UTC, long cells cut); json is one array of
objects, jsonl one object a line, csv a header and one line a row (times in ISO 8601 with
`Z`, lists and objects as JSON in their cell, a BLOB in base64). Rows are written as they
come, so `export` stays in constant memory in every format but table.
"""

from __future__ import annotations

import base64
import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

import click

from scheduler.cli.display import table

FORMATS = ("table", "json", "jsonl", "csv")
Row = Mapping[str, Any]
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def format_option(default: str = "table") -> Decorator:
    """The `--format` option, the same choices and meaning on every command."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default=default, show_default=True,
        help="table for reading; json (one array), jsonl (one object a line) or csv for "
             "programs, with times in ISO 8601 UTC.")


def iso_time(value: datetime) -> str:
    """A time as ISO 8601 UTC with `Z`: 2026-10-01T08:30:00Z."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def json_value(value: Any) -> Any:
    """A value as JSON and CSV carry it: times in ISO 8601, a BLOB as Datasette shapes it."""
    if isinstance(value, datetime):
        return iso_time(value)
    if isinstance(value, bytes):
        return {"$base64": True, "encoded": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Mapping):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    value = json_value(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_rows(
    rows: Iterable[Row], fmt: str, columns: Sequence[str], out: TextIO | None = None, *,
    table_cells: Callable[[Row], Sequence[Any]] | None = None,
    table_columns: Sequence[str] | None = None, empty: str = "no rows", max_width: int = 60,
) -> None:
    """Write `rows` (dicts with at least `columns`) in `fmt` to `out` (default: stdout).

    The table may show other cells than the machine formats (`table_cells` turns a row
    into its cells under `table_columns`); json, jsonl and csv always carry `columns`.
    """
    if out is None:
        out = sys.stdout
    if fmt == "table":
        shown = list(rows)
        cells = [table_cells(r) if table_cells is not None else [r.get(c) for c in columns]
                 for r in shown]
        out.write((table(table_columns or columns, cells, max_width=max_width) if shown
                   else empty) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_value(row.get(c)) for c in columns])
    elif fmt == "jsonl":
        for row in rows:
            out.write(_json_line(row, columns) + "\n")
    elif fmt == "json":
        out.write("[")
        for n, row in enumerate(rows):
            out.write(("," if n else "") + "\n" + _json_line(row, columns))
        out.write("\n]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _json_line(row: Row, columns: Sequence[str]) -> str:
    return json.dumps({c: json_value(row.get(c)) for c in columns}, ensure_ascii=False)
