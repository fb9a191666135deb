"""Running a command as a child process and reading its time, CPU and peak memory."""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BELMON = [sys.executable, "-m", "scheduler"]


@dataclass(frozen=True)
class ChildRun:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int


def run_child(args: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run `args` to completion: wall time, CPU of the child and its waited-for children, and
    the peak of the summed resident memory of the child and its descendants (page readers),
    sampled every 50 ms. (rusage's ru_maxrss would count the harness's own memory, which a
    forked child holds until it execs.)"""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                                cwd=Path(__file__).parents[1])
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace")[-2000:])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - _CPU_SEEN[0]
    _CPU_SEEN[0] = usage.ru_utime + usage.ru_stime
    return ChildRun(wall, cpu, peak, proc.returncode)


_CPU_SEEN = [0.0]  # RUSAGE_CHILDREN is cumulative: the CPU of runs measured before


def _tree_rss_mb(pid: int) -> float:
    total = 0.0
    for member in _tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text(encoding="utf-8")
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                queue += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def median(values: list[float]) -> float:
    return statistics.median(values)


def time_calls(func: object, repeat: int, number: int) -> float:
    """Median seconds per call of `func()` over `repeat` rounds of `number` calls."""
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()  # type: ignore[operator]
        rounds.append((time.perf_counter() - start) / number)
    return median(rounds)
