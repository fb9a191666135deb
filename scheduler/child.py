"""One crawl as a child process: its command line, and watching it against a time limit and a stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from crawler.options import CrawlOptions
from crawler.sources import Source
from scheduler.config import CRAWL_SETTINGS

# `belmon crawl` exits with this status (EX_TEMPFAIL) when an outlet it should crawl (with
# --skip-busy: every one) is being crawled by another process; the daemon then skips the run
# instead of counting a failure.
EXIT_BUSY = 75
POLL_SECONDS = 0.1
SHUTTING_DOWN = "the daemon was shutting down"  # why a child is stopped on a planned stop


@dataclass(frozen=True)
class ChildCommand:
    """What every crawl the daemon starts is told besides its crawl options."""

    db: str
    sources_file: str | None = None
    log_level: str = "INFO"

    def argv(self, sources: Sequence[Source], options: CrawlOptions) -> list[str]:
        """The `belmon crawl` command line for a group of outlets, run with this interpreter:
        fetched from the same base URLs as the daemon's, their editions' own hosts included.
        An outlet another process is crawling is skipped; the others are crawled."""
        bases = [base for source in sources for base in (
            [f"{source.id}={source.base_url}"]
            + [f"{source.id}.{e.lang}={e.base_url}" for e in source.editions if e.base_url])]
        return [sys.executable, "-m", "scheduler", "--log-level", self.log_level,
                "crawl", *(s.id for s in sources), "--trigger", options.trigger, "--skip-busy",
                "--db", self.db,
                *(arg for base in bases for arg in ("--base-url", base)),
                *(["--sources", self.sources_file] if self.sources_file else []),
                *(["--refetch"] if options.refetch else []),
                *option_arguments(options)]


def option_arguments(options: CrawlOptions) -> list[str]:
    """The crawl settings of `options` as `belmon crawl` flags, one per declared setting."""
    args: list[str] = []
    for s in CRAWL_SETTINGS:
        value = getattr(options, s.option or "")
        if s.kind is bool:
            on, _, off = s.name.partition("/")
            args.append("--" + on if value else off or f"--no-{on}")
        elif value is not None:
            args += ["--" + s.flag, str(value)]
    return args


@dataclass(frozen=True)
class ChildResult:
    """How a child crawl ended."""

    pid: int
    started_at: datetime  # UTC, taken just before the process was started
    returncode: int
    stopped: str | None  # why it was stopped from outside (time limit, daemon stopping), else None
    killed: bool  # it outlived the grace period after SIGTERM and got SIGKILL
    seconds: float


def run_child(argv: list[str], *, time_limit: float, stop_timeout: float,
              stopping: threading.Event) -> ChildResult:
    """Run `argv` to its end; past `time_limit`, or once `stopping` is set, stop it.

    Stopping is SIGTERM (Scrapy then closes the spider and the run record is written), then
    SIGKILL when the process is still there `stop_timeout` seconds later. The child gets its
    own session, so a Ctrl-C in the daemon's terminal reaches it only through the daemon.
    """
    started_at = datetime.now(UTC)
    began = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            start_new_session=True)
    stopped: str | None = None
    killed = False
    while (returncode := proc.poll()) is None:
        if stopping.is_set():
            stopped = SHUTTING_DOWN
        elif time.monotonic() - began > time_limit:
            stopped = f"time limit of {time_limit:g} s exceeded"
        if stopped:
            returncode, killed = stop_process(proc, stop_timeout)
            break
        stopping.wait(POLL_SECONDS)
    return ChildResult(proc.pid, started_at, returncode, stopped, killed, time.monotonic() - began)


def stop_process(proc: subprocess.Popen[bytes], grace: float) -> tuple[int, bool]:
    """SIGTERM, then SIGKILL after `grace` seconds; returns the exit status and whether it was killed."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=grace), False
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(), True


def exit_text(returncode: int) -> str:
    """An exit status in words: 'exited with status 2' or 'was killed by SIGKILL'."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"was killed by {name}"
    return f"exited with status {returncode}"
