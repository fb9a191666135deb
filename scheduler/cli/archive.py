"""Commands on the archive itself: init, sql, status."""

from __future__ import annotations

import base64
import csv
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import click

from scheduler import health
from scheduler.cli import context
from scheduler.cli.display import runs_table, table
from scheduler.cli.options import db_option, setting_option
from scheduler.daemon_state import describe, next_runs, read_state, state_path
from storage import migrate, queries
from storage.locks import pid_alive
from storage.sql import run_query

WARNING_LOOKBACK = timedelta(days=3)  # runs looked at for warnings


@click.command()
@db_option
def init(db: str | None) -> None:
    """Create the archive, or upgrade it to the newest schema.

    Example: belmon init --db ~/belmon.sqlite
    """
    url = context.resolve_db(db)
    archive = context.open_archive(url, create=True)
    revision = migrate.current_revision(archive.engine)
    archive.close()
    click.echo(f"archive ready: {url} (schema {revision})")


@click.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True,
              help="Print rows as JSON objects, one a line (a BLOB as {\"$base64\": true, "
                   "\"encoded\": ...}).")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print rows as CSV with a header (a BLOB in base64).")
@setting_option("time-limit")
@db_option
def sql(query: str, as_json: bool, as_csv: bool, time_limit: float, db: str | None) -> None:
    """Run one read-only SQL statement on the archive, stopped after --time-limit seconds.

    Example: belmon sql "select source_id, count(*) from articles group by 1"
    """
    archive = context.open_archive(db)
    try:
        columns, rows = run_query(archive.engine, query, time_limit or None)
    finally:
        archive.close()
    if as_json:
        for row in rows:
            record = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
            click.echo(json.dumps(record, ensure_ascii=False))
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([_base64(v) if isinstance(v, bytes) else v for v in row] for row in rows)
    else:
        click.echo(table(columns, rows))


def _json_value(value: Any) -> Any:
    # JSON has no bytes; this is the shape sqlite-utils and Datasette use for a BLOB.
    return {"$base64": True, "encoded": _base64(value)} if isinstance(value, bytes) else value


def _base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


@click.command()
@db_option
def status(db: str | None) -> None:
    """Show the archive, the daemon's state, each outlet's last and next run, and warnings.

    Example: belmon status
    """
    url = context.resolve_db(db, create=False)
    now = datetime.now(UTC)
    archive = context.open_archive(url)
    try:
        counts = queries.article_counts(archive.engine)
        runs = queries.last_runs(archive.engine)
        recent = queries.recent_runs(archive.engine, since=now - WARNING_LOOKBACK)
    finally:
        archive.close()
    state = read_state(state_path(url))
    alive = state is not None and state.stopped_at is None and pid_alive(state.pid)
    click.echo(f"archive: {url}")
    click.echo(f"daemon: {describe(state, now, alive)}")
    click.echo("")
    last = {r.source_id: r for r in runs}
    upcoming = next_runs(state) if alive else {}
    outlets = sorted(set(counts) | set(last) | set(upcoming))
    rows = [(sid, counts.get(sid, 0), last[sid].started_at if sid in last else None,
             last[sid].status if sid in last else None, upcoming.get(sid)) for sid in outlets]
    click.echo(table(("outlet", "articles", "last run (UTC)", "status", "next run (UTC)"), rows))
    click.echo("")
    click.echo(runs_table(runs) if runs else "no crawl has run yet")
    found = health.warnings(recent)
    if found:
        click.echo("\nwarnings:")
        for warning in found:
            click.echo(f"  {warning}")
