"""A hundred outlets on one daemon, in compressed time: the whole process tree's peak memory,
its CPU, runs late or skipped, and the lag from an article's appearance to its row.

The outlets are copies of Charter97 (its definition with another id and canonical host),
each served by the replica on a port of its own, all publishing the same articles: the first copy to read an
article stores it, the others add their URL to it (an exact copy), so each copy's fetch,
extraction and matching are real and its insert is the cheap one. The 15-minute interval
is compressed ten times, to 90 s, and the daemon is watched for `intervals` intervals once
every copy has filled its archive. A crawl does the same work in a compressed interval as
in a real one, so the CPU an interval costs is the same; its share of a real 15 minutes is
the compressed share / 10. The jitter (10 % of the interval, at most a minute) is
compressed with it: 9 s.

    python -m benchmarks.daemon_scale [COPIES] [INTERVALS]

Fails unless every copy had a run in each interval watched, the replica served the pages,
and every article added while it watched reached every copy's archive.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.measure import BELMON, _tree, median
from crawler.sources import DEFAULT_SOURCES, load_sources
from replica.corpus import load_corpus
from replica.server import Replica
from scheduler.schedule import plan_groups

REAL_INTERVAL_S = 15 * 60
INTERVAL_S = REAL_INTERVAL_S / 10  # compressed ten times
SAMPLE_S = 0.5
_TICKS = 100  # clock ticks per second in /proc/<pid>/stat (USER_HZ)


def copies_file(path: Path, base_urls: list[str], interval_minutes: float) -> list[str]:
    """A sources file of copies of Charter97, one on each base URL; returns their ids."""
    model = tomllib.loads(DEFAULT_SOURCES.read_text(encoding="utf-8"))["charter97"]
    ids = [f"copy{n:03d}" for n in range(len(base_urls))]
    lines: list[str] = []
    for cid, base_url in zip(ids, base_urls, strict=True):
        table = {**model, "name": cid, "base_url": base_url, "aliases": [],
                 "canonical_base": f"https://{cid}.example", "interval_minutes": interval_minutes}
        lines += _toml_table(cid, table)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


def _toml_table(name: str, table: dict[str, Any]) -> list[str]:
    lines = [f"[{name}]"] + [f"{k} = {_toml_value(v)}" for k, v in table.items()
                              if not isinstance(v, dict)]
    for key, value in table.items():
        if isinstance(value, dict):
            lines += _toml_table(f"{name}.{key}", value)
    return lines


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def _tree_usage(pid: int) -> tuple[float, float]:
    """(resident MB, CPU seconds ever used) of `pid` and its descendants, those that ended and
    were waited for included (a process's cutime holds its reaped children's)."""
    rss_mb, cpu = 0.0, 0.0
    for member in _tree(pid):
        try:
            stat = Path(f"/proc/{member}/stat").read_text(encoding="ascii")
            status = Path(f"/proc/{member}/status").read_text(encoding="ascii")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        cpu += sum(int(f) for f in fields[11:15]) / _TICKS  # utime stime cutime cstime
        rss_mb += next((int(line.split()[1]) / 1024 for line in status.splitlines()
                        if line.startswith("VmRSS:")), 0.0)
    return rss_mb, cpu


def _query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql, params).fetchall()
    except sqlite3.Error:
        return []


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def daemon_scale_benchmark(copies: int = 100, intervals: int = 3, interval_s: float = INTERVAL_S,
                           ready_limit_s: float = 900) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, Replica(port=0) as replica:
        db, sources_file, log_path = (Path(tmp) / "daemon.sqlite", Path(tmp) / "sources.toml",
                                      Path(tmp) / "daemon.log")
        # Each copy on a port of its own: a host of its own, as real outlets have.
        ids = copies_file(sources_file, [replica.mirror("charter97") for _ in range(copies)],
                          interval_s / 60)
        corpus = [a for a in load_corpus() if a.outlet == "charter97"]
        with log_path.open("w") as log:
            proc = subprocess.Popen([*BELMON, "--log-level", "INFO", "daemon", *ids, "--db",
                                     str(db), "--sources", str(sources_file), "--delay", "0"],
                                    stdout=subprocess.DEVNULL, stderr=log)
            try:
                result = _watch(proc, db, replica, ids, corpus, intervals, interval_s,
                                ready_limit_s)
            except RuntimeError as failed:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"{failed}\nthe daemon's log ends:\n{tail}") from None
            finally:
                proc.send_signal(signal.SIGTERM)
                result_code = proc.wait(timeout=180)
        text = log_path.read_text(encoding="utf-8", errors="replace")
        runs = _query(db, "select outlet, trigger, status, started_at, pid from crawl_runs "
                          "where started_at >= ? order by id", result.pop("ready_at"))
        sources = [s for s in load_sources(sources_file).values() if s.id in set(ids)]
    late = _lateness(runs, sources)
    per_outlet = {o: sum(r[0] == o for r in runs) for o in ids}
    failed = [r for r in runs if r[2] not in ("ok", "partial", "stopped")]
    if min(per_outlet.values()) < intervals:
        raise RuntimeError(f"a copy had fewer than {intervals} runs while watched: "
                           f"{min(per_outlet.values())}")
    result.update({
        "copies": copies, "intervals": intervals, "interval_s": interval_s,
        "compression": REAL_INTERVAL_S / interval_s, "exit_code": result_code,
        "runs_watched": len(runs), "runs_failed": len(failed),
        "runs_skipped": text.count("this run is skipped"), "runs_missed": text.count("was missed"),
        "late_median_s": median(late) if late else 0.0, "late_max_s": max(late, default=0.0),
        "crawl_processes_per_interval": len({r[4] for r in runs}) / result["intervals_seen"],
    })
    return result


def _watch(proc: subprocess.Popen[bytes], db: Path, replica: Replica, ids: list[str],
           corpus: list[Any], intervals: int, interval_s: float,
           ready_limit_s: float) -> dict[str, Any]:
    """Sample the tree until every copy filled its archive, then for `intervals` intervals,
    adding an article every half interval and noting when each copy stored it."""
    started = time.monotonic()
    peak_all = 0.0
    while True:
        rss, _cpu = _tree_usage(proc.pid)
        peak_all = max(peak_all, rss)
        done = _query(db, "select count(distinct outlet) from crawl_runs where status = 'ok'")
        if done and done[0][0] == len(ids):
            break
        if proc.poll() is not None or time.monotonic() - started > ready_limit_s:
            raise RuntimeError(f"not every copy crawled within {ready_limit_s:g} s")
        time.sleep(SAMPLE_S)
    ready_s = time.monotonic() - started
    ready_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    served_before = len(replica.request_log)
    _rss, cpu_ready = _tree_usage(proc.pid)
    watch_start = time.monotonic()
    peak = 0.0
    added: dict[str, float] = {}
    seen: dict[tuple[str, str], float] = {}
    newest = max(corpus, key=lambda a: a.published)
    n = 0
    while time.monotonic() - watch_start < intervals * interval_s:
        if time.monotonic() - watch_start >= n * interval_s / 2:
            n += 1
            article = _new_article(newest, n)
            replica.add(article)
            added[article.title] = time.monotonic()
        rss, cpu = _tree_usage(proc.pid)
        peak = max(peak, rss)
        _note_arrivals(db, added, seen)
        time.sleep(SAMPLE_S)
    watched_s = time.monotonic() - watch_start
    _rss, cpu_end = _tree_usage(proc.pid)
    # Articles added near the end get one more interval to arrive (not counted in the CPU).
    deadline = time.monotonic() + interval_s + 60
    while len(seen) < len(added) * len(ids) and time.monotonic() < deadline:
        _note_arrivals(db, added, seen)
        time.sleep(SAMPLE_S)
    if len(seen) < len(added) * len(ids):
        by_title = {t: sum(k[1] == t for k in seen) for t in added}
        raise RuntimeError(f"{len(added) * len(ids) - len(seen)} added articles never reached "
                           f"a copy's archive; copies that have each: {by_title}")
    served = len(replica.request_log) - served_before
    if served < len(ids) * intervals:
        raise RuntimeError(f"the replica served {served} requests while watched")
    lags = [at - added[title] for (_outlet, title), at in seen.items()]
    cpu_s = cpu_end - cpu_ready
    return {
        "ready_at": ready_at, "ready_s": ready_s, "watched_s": watched_s,
        "intervals_seen": watched_s / interval_s,
        "peak_rss_mb_first_fill": peak_all, "peak_rss_mb": peak,
        "cpu_s_per_interval": cpu_s / (watched_s / interval_s),
        "cpu_share_compressed": cpu_s / watched_s,
        "cpu_share_real": cpu_s / (watched_s / interval_s) / REAL_INTERVAL_S,
        "requests_served": served, "articles_added": len(added),
        "lag_median_s": median(lags), "lag_max_s": max(lags),
    }


def _note_arrivals(db: Path, added: dict[str, float], seen: dict[tuple[str, str], float]) -> None:
    """Note when each copy first has each added article: its own URL's row in article_urls
    (the copies publish the same text, so all but the first copy's URL lead to one article)."""
    marks = ", ".join("?" * len(added))
    for outlet, title in _query(db, "select u.outlet, a.title from article_urls u join articles a "
                                    f"on a.id = u.article_id where a.title in ({marks})", *added):
        seen.setdefault((outlet, title), time.monotonic())


def _new_article(newest: Any, n: int) -> Any:
    from dataclasses import replace

    return replace(newest, id=newest.id + 9000 + n, title=f"{newest.title} (scale {n})",
                   body=tuple(f"{p} [scale {n}]" for p in newest.body),
                   published=newest.published + timedelta(hours=n + 1))


def _lateness(runs: list[tuple[Any, ...]], sources: list[Any]) -> list[float]:
    """Seconds from each watched run's group slot to its run's start (its record's started_at,
    written once the crawl process is up)."""
    groups = plan_groups(sources, {}, datetime.now(UTC), per_crawl=10)
    slot_of = {o: g for g in groups for o in g.outlets}
    late = []
    for outlet, _trigger, _status, started, _pid in runs:
        group = slot_of[outlet]
        start = group.trigger.start_date
        phase = (_when(started) - start).total_seconds() % group.interval.total_seconds()
        late.append(phase)
    return late


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    print(json.dumps(daemon_scale_benchmark(*args), indent=1))
