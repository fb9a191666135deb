"""What `belmon status` reports: the archive's outlets joined with their runs, the daemon's
plan and the health warnings, as plain rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scheduler import health
from scheduler.daemon_state import describe, read_state, state_path
from storage import queries
from storage.archive import Archive
from storage.locks import pid_alive
from storage.queries import RunView

WARNING_LOOKBACK = timedelta(days=3)  # runs looked at for warnings
STATUS_COLUMNS = ("outlet", "articles", "last_run", "last_run_at", "last_status", "next_run_at",
                  "crawling", "crawling_since", "warnings")


@dataclass(frozen=True)
class Status:
    daemon: str  # one line: running (pid, since), stopped, or gone
    outlets: list[dict[str, Any]]  # one row per outlet, with STATUS_COLUMNS
    runs: list[RunView]  # each outlet's last run
    warnings: list[str]


def archive_status(archive: Archive, db_url: str, now: datetime) -> Status:
    """Every outlet the archive, its runs or the daemon know of, in alphabetical order."""
    counts = queries.article_counts(archive.engine)
    runs = queries.last_runs(archive.engine)
    recent = queries.recent_runs(archive.engine, since=now - WARNING_LOOKBACK)
    state = read_state(state_path(db_url))
    alive = state is not None and state.stopped_at is None and pid_alive(state.pid)
    planned = state.outlets if state is not None and alive else {}
    last = {r.outlet: r for r in runs}
    rules = health.HealthRules()
    rows = []
    for outlet in sorted(set(counts) | set(last) | set(planned)):
        run, plan = last.get(outlet), planned.get(outlet)
        rows.append({
            "outlet": outlet, "articles": counts.get(outlet, 0),
            "last_run": run.id if run else None, "last_run_at": run.started_at if run else None,
            "last_status": run.status if run else None,
            "next_run_at": plan.next_run if plan and not plan.running_since else None,
            "crawling": plan.trigger if plan and plan.running_since else None,
            "crawling_since": plan.running_since if plan else None,
            "warnings": health.outlet_warnings(outlet, recent.get(outlet, []), rules),
        })
    return Status(describe(state, now, alive), rows, runs, health.warnings(recent, rules))
