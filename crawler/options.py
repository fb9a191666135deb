"""How a crawl behaves: one frozen record that the CLI, the daemon and its child crawls share.

Pure and Scrapy-free, so the daemon can build a crawl's options (and its child's command
line) without loading the crawler. Each field's flag, environment variable and help are
declared once, in scheduler/config.py (`Setting.option` names the field it fills).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Why a crawl runs, as recorded in crawl_runs.trigger.
TRIGGERS = ("manual", "schedule", "catch-up", "demo")
DEFAULT_DEDUP_THRESHOLD = 0.4


def default_workers() -> int:
    """Page-reading processes beside the reactor's: none on two cores or fewer, where a worker
    was measured to bring no wall time back and to cost CPU (pickling pages to it and results
    back) and memory (a second copy of the themes and the language model, ~150 MB); one per
    core beyond two above that, at most two."""
    return min(2, max(0, (os.cpu_count() or 1) - 2))


@dataclass(frozen=True)
class CrawlOptions:
    """How a crawl behaves; every field but `trigger` and `refetch` is a declared setting."""

    trigger: str = "manual"
    refetch: bool = False
    # `belmon outlets check`: per edition only its first feed (its first listing page when it
    # has no feed) and the first article found there, known or not.
    sample: bool = False
    max_pages: int = 5
    download_delay: float | None = None  # None: each outlet's own politeness delay
    timeout: float = 30.0
    obey_robots: bool = True
    user_agent: str | None = None
    dedup_threshold: float = DEFAULT_DEDUP_THRESHOLD
    themes_file: Path | None = None  # None: the packaged theme definitions
    workers: int = field(default_factory=default_workers)  # processes that read pages; 0: inline

    def __post_init__(self) -> None:
        if self.trigger not in TRIGGERS:
            raise ValueError(f"unknown trigger {self.trigger!r}; expected one of {TRIGGERS}")
        if self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if not 0 < self.dedup_threshold <= 1:
            raise ValueError("dedup_threshold must be above 0 and at most 1")
        if self.workers < 0:
            raise ValueError("workers must be 0 or more")
