"""The daemon's state file beside the archive: its pid, since when, each outlet's next run (JSON)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.locks import sidecar_path

HEARTBEAT_SECONDS = 10.0  # how often a running daemon rewrites the file


@dataclass(frozen=True)
class OutletState:
    next_run: datetime | None = None
    running_since: datetime | None = None  # a crawl of the outlet is under way
    trigger: str | None = None  # of the crawl under way


@dataclass(frozen=True)
class DaemonState:
    pid: int
    started_at: datetime
    updated_at: datetime
    stopped_at: datetime | None = None
    outlets: dict[str, OutletState] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({
            "pid": self.pid,
            "started_at": _iso(self.started_at),
            "updated_at": _iso(self.updated_at),
            "stopped_at": _iso(self.stopped_at),
            "outlets": {sid: {"next_run": _iso(o.next_run), "running_since": _iso(o.running_since),
                              "trigger": o.trigger} for sid, o in self.outlets.items()},
        }, indent=2)

    @classmethod
    def from_json(cls, text: str) -> DaemonState:
        data: dict[str, Any] = json.loads(text)
        outlets = {
            str(sid): OutletState(_time(o.get("next_run")), _time(o.get("running_since")),
                                  o.get("trigger"))
            for sid, o in data.get("outlets", {}).items()
        }
        started = _time(data["started_at"])
        updated = _time(data["updated_at"])
        if started is None or updated is None:
            raise ValueError("state file without started_at or updated_at")
        return cls(int(data["pid"]), started, updated, _time(data.get("stopped_at")), outlets)


def state_path(db: str) -> Path:
    return sidecar_path(db, ".daemon.json")


def write_state(path: Path, state: DaemonState) -> None:
    """Replace the file atomically, so a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(state.to_json(), encoding="utf-8")
    os.replace(tmp, path)


def read_state(path: Path) -> DaemonState | None:
    """The last state a daemon wrote, or None when there is none (or it cannot be read)."""
    try:
        return DaemonState.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def describe(state: DaemonState | None, now: datetime, alive: bool) -> str:
    """One line on the daemon: running (with pid and heartbeat), stopped, or gone."""
    if state is None:
        return "not running (no daemon has run on this archive)"
    if state.stopped_at is not None:
        return f"not running (stopped {_show(state.stopped_at)} UTC)"
    if not alive:
        return f"not running (pid {state.pid} is gone; last seen {_show(state.updated_at)} UTC)"
    text = f"running, pid {state.pid}, since {_show(state.started_at)} UTC"
    silent = (now - state.updated_at).total_seconds()
    if silent > 3 * HEARTBEAT_SECONDS:
        text += f" (no heartbeat for {silent:.0f} s)"
    return text


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _show(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


