"""Running a command as a child process and reading its time, CPU and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
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
    """Run `args` to completion; wall time, user+system CPU and peak RSS of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=Path(__file__).parents[1])
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(stderr.decode(errors="replace")[-2000:])
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


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
