"""What the benchmarks ran on: machine, Python and package versions."""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib.metadata import version


def machine_lines() -> list[str]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    packages = ", ".join(f"{name} {version(name)}" for name in
                         ("scrapy", "sqlalchemy", "lxml", "trafilatura", "apscheduler"))
    return [
        f"- machine: {os.cpu_count()} cores ({cpu}), {memory_gb:.0f} GiB, {platform.platform()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- {packages}",
    ]
