"""The daemon's resident memory: idle, and after many scheduled runs against the replica."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import BELMON
from replica.server import Replica


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _runs(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("select count(*) from crawl_runs where status != 'running'")
                       .fetchone()[0])
    except sqlite3.Error:
        return 0


# The two outlets the daemon figures have always been measured on (many outlets: issue 14).
OUTLETS = ("charter97", "pozirk")


def daemon_benchmark(runs: int, limit_s: float = 900) -> dict[str, Any]:
    """Start `belmon daemon` with a 3-second interval for both outlets, wait for `runs` runs."""
    with tempfile.TemporaryDirectory() as tmp, Replica(port=0) as replica:
        db, sources = Path(tmp) / "daemon.sqlite", Path(tmp) / "sources.toml"
        sources.write_text("".join(f"[{o}]\ninterval_minutes = 0.05\n" for o in OUTLETS),
                           encoding="utf-8")
        base = [a for o in OUTLETS for key, url in replica.hosts_of(o).items()
                for a in ("--base-url", f"{key}={url}")]
        proc = subprocess.Popen([*BELMON, "--log-level", "WARNING", "daemon", *OUTLETS, "--db", str(db),
                                 "--sources", str(sources), "--delay", "0", *base],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(3)
            idle = _rss_mb(proc.pid)
            start = time.monotonic()
            while _runs(db) < runs and time.monotonic() - start < limit_s:
                time.sleep(1)
            done, after = _runs(db), _rss_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
    return {"runs": done, "idle_rss_mb": idle, "after_rss_mb": after, "exit_code": code,
            "seconds": time.monotonic() - start}
