"""The daemon: an APScheduler job per outlet, each run a `belmon crawl` child process (no Scrapy here)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from crawler.options import CrawlOptions
from crawler.sources import Source
from scheduler.child import (
    EXIT_BUSY,
    SHUTTING_DOWN,
    ChildCommand,
    ChildResult,
    exit_text,
    run_child,
)
from scheduler.daemon_state import (
    HEARTBEAT_SECONDS,
    DaemonState,
    OutletState,
    state_path,
    write_state,
)
from scheduler.schedule import needs_catch_up, plan_groups
from storage import queries
from storage.archive import Archive
from storage.locks import LockBusy, daemon_lock, pid_alive
from storage.records import RunTotals

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 300  # a run up to 5 minutes late (a busy or suspended host) still runs
TICK_SECONDS = 1.0  # how often the main thread looks at the schedule (and at signals)


def default_max_crawls() -> int:
    """One crawl process per core."""
    return max(1, os.cpu_count() or 1)


class DaemonRunning(BlockingIOError):
    """Another daemon holds the archive's daemon lock."""


@dataclass(frozen=True)
class DaemonOptions:
    """How the daemon runs crawls; every field has a documented setting."""

    child: ChildCommand
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    catch_up_pages: int = 20
    crawl_timeout: float = 3600.0
    stop_timeout: float = 30.0
    # Crawl processes at once: each is a Scrapy process of a few hundred MB, and thirteen
    # outlets due together must not mean thirteen of them.
    max_crawls: int = field(default_factory=default_max_crawls)
    # Outlets crawled together by one crawl process: the process start-up is most of an
    # incremental run's cost, so a hundred outlets mean ten processes an interval, not 100.
    outlets_per_crawl: int = 10

    def __post_init__(self) -> None:
        if self.catch_up_pages < 1:
            raise ValueError("catch_up_pages must be at least 1")
        if self.max_crawls < 1:
            raise ValueError("max_crawls must be at least 1")
        if self.outlets_per_crawl < 1:
            raise ValueError("outlets_per_crawl must be at least 1")
        if self.crawl_timeout <= 0 or self.stop_timeout <= 0:
            raise ValueError("crawl_timeout and stop_timeout must be positive")


class Daemon:
    """Runs each group of outlets' crawls on its schedule until stop() is called."""

    def __init__(self, sources: Sequence[Source], archive: Archive, options: DaemonOptions,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        if not sources:
            raise ValueError("no outlet to crawl: every outlet is disabled")
        self.sources = {s.id: s for s in sources}
        self.archive = archive
        self.options = options
        self.clock = clock
        self.state_file = state_path(options.child.db)
        self.started_at = clock()
        self._stopping = threading.Event()
        self._state_lock = threading.Lock()
        self._running: dict[str, tuple[datetime, str]] = {}
        self._next_runs: dict[str, datetime | None] = {}
        history = queries.run_times(archive.engine)
        groups = plan_groups(sources, history, self.started_at, options.outlets_per_crawl)
        self._groups = {group.id: group.outlets for group in groups}
        self._intervals = {o: group.interval for group in groups for o in group.outlets}
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            # A due outlet beyond the cap waits in the pool's queue for a crawl to finish.
            executors={"default": ThreadPoolExecutor(
                max_workers=min(options.max_crawls, len(groups)))},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        )
        self._scheduler.add_listener(self._on_job_event,
                                     EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
        for group in groups:
            when: dict[str, Any] = {"next_run_time": group.first_run} if group.first_run else {}
            self._scheduler.add_job(self._run_group, group.trigger, args=(group.outlets,),
                                    id=group.id, name=group.id, **when)

    def run(self) -> None:
        """Block until stop(); then let the running crawls stop (bounded) and return."""
        abandoned = self.archive.fail_abandoned_runs(pid_alive)
        if abandoned:
            log.info("marked %d run(s) of vanished crawl processes as failed", abandoned)
        self._scheduler.start()
        try:
            for job in self._scheduler.get_jobs():
                log.info("%s: next run %s UTC (%s)", job.id, _show(job.next_run_time), job.trigger)
            self._heartbeat()
        finally:
            self._stopping.set()  # also when the heartbeat failed: stop the crawls, then leave
            with self._state_lock:
                running = ", ".join(self._running) or "none"
            log.info("stopping: no new crawls; waiting for the running ones (%s)", running)
            self._scheduler.shutdown(wait=True)
            self._next_runs.clear()
            self._write_state(stopped=True)
            log.info("daemon stopped")

    def _heartbeat(self) -> None:
        """Until stop(): keep the state file fresh, at once when a next run time changes."""
        written = time.monotonic()
        self._refresh_next_runs()
        self._write_state()
        while not self._stopping.wait(TICK_SECONDS):
            if self._refresh_next_runs() or time.monotonic() - written >= HEARTBEAT_SECONDS:
                self._write_state()
                written = time.monotonic()

    def stop(self, *_: Any) -> None:
        """Ask the daemon to stop; safe to call from a signal handler."""
        self._stopping.set()

    def _run_group(self, outlet_ids: tuple[str, ...]) -> None:
        """One crawl process for the group's outlets; those with a gap to fill page back
        further, in a crawl process of their own before the others'."""
        if self._stopping.is_set():
            return
        history = queries.run_times(self.archive.engine)
        now = self.clock()
        catch_up = [o for o in outlet_ids if needs_catch_up(
            history[o].last_success if o in history else None, self._intervals[o], now)]
        usual = [o for o in outlet_ids if o not in catch_up]
        for trigger, members in (("catch-up", catch_up), ("schedule", usual)):
            if members and not self._stopping.is_set():
                self._crawl([self.sources[o] for o in members], trigger)

    def _crawl(self, sources: list[Source], trigger: str) -> None:
        pages = self.options.crawl.max_pages
        if trigger == "catch-up":
            pages = max(self.options.catch_up_pages, pages)
        options = replace(self.options.crawl, trigger=trigger, max_pages=pages)
        argv = self.options.child.argv(sources, options)
        names = [s.id for s in sources]
        log.info("%s: %s crawl (up to %d listing pages)", ", ".join(names), trigger, pages)
        self._set_running(names, trigger)
        try:
            result = run_child(argv, time_limit=self.options.crawl_timeout,
                               stop_timeout=self.options.stop_timeout, stopping=self._stopping)
        finally:
            self._set_running(names, None)
        self._settle(sources, trigger, result)

    def _settle(self, sources: list[Source], trigger: str, result: ChildResult) -> None:
        """Make the run records tell the truth about how the child ended, and log them."""
        since = result.started_at.replace(microsecond=0)
        reason = None
        if result.stopped:
            how = (f"killed {self.options.stop_timeout:g} s after SIGTERM" if result.killed
                   else "stopped with SIGTERM")
            reason = f"{result.stopped}; {how}"
            # The daemon shutting down is a planned stop; a time limit passed is a failure.
            status = "stopped" if result.stopped == SHUTTING_DOWN else "failed"
            self.archive.settle_process_runs(result.pid, since, status, reason)
        elif result.returncode not in (0, EXIT_BUSY):
            reason = f"the crawl process {exit_text(result.returncode)}"
            self.archive.settle_process_runs(result.pid, since, "failed",
                                             reason + " before finishing the run",
                                             stopped_from_outside=False)
        runs = queries.process_runs(self.archive.engine, result.pid, since)
        # A crawl process that ended on its own (0; 1: a run failed; 75: every outlet busy)
        # skipped the outlets it has no run for: another process was crawling them.
        ended_normally = result.stopped is None and (
            result.returncode in (0, EXIT_BUSY) or (runs and result.returncode == 1))
        crawled = {run.outlet for run in runs}
        for source in sources:
            if source.id in crawled or result.stopped == SHUTTING_DOWN:
                continue
            if ended_normally:
                log.info("%s: skipped, another process is crawling it", source.id)
            else:
                self._record_failure(source, trigger, result.pid,
                                     f"{reason or 'the crawl process ended'} before starting a run")
        for run in queries.process_runs(self.archive.engine, result.pid, since):
            level = logging.WARNING if run.status == "failed" else logging.INFO
            log.log(level, "%s: run %d (%s) %s in %.1f s: %d new, %d pages%s", run.outlet, run.id,
                    run.trigger, run.status, result.seconds, run.articles_new, run.pages_fetched,
                    f"; {run.message}" if run.message else "")

    def _record_failure(self, source: Source, trigger: str, pid: int | None, reason: str) -> None:
        self.archive.register_source(source.id, source.name, source.canonical_base)
        run_id = self.archive.start_run(source.id, trigger, source.base_url, pid)
        self.archive.finish_run(run_id, RunTotals("failed", message=reason))

    def _on_job_event(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            log.info("%s: still crawling from the last run; this run is skipped", event.job_id)
        elif event.code == EVENT_JOB_MISSED:
            log.warning("%s: the run due at %s UTC was missed (more than %d s late)", event.job_id,
                        _show(event.scheduled_run_time), MISFIRE_GRACE_SECONDS)
        elif isinstance(event, JobExecutionEvent) and event.exception is not None:
            log.error("%s: the daemon failed to run a crawl: %r", event.job_id, event.exception)
            try:
                for outlet_id in self._groups[event.job_id]:
                    self._record_failure(self.sources[outlet_id], "schedule", os.getpid(),
                                         f"daemon error: {event.exception!r}")
            except Exception:
                log.exception("%s: could not record the failure either", event.job_id)

    def _set_running(self, outlet_ids: list[str], trigger: str | None) -> None:
        with self._state_lock:
            for outlet_id in outlet_ids:
                if trigger is None:
                    self._running.pop(outlet_id, None)
                else:
                    self._running[outlet_id] = (self.clock(), trigger)
        self._write_state()

    def _refresh_next_runs(self) -> bool:
        """Copy the jobs' next run times; only the main thread asks the scheduler.

        (A job thread must not: shutdown() holds the job store lock while it waits for them.)
        """
        now_due = {outlet: job.next_run_time for job in self._scheduler.get_jobs()
                   for outlet in self._groups[job.id]}
        with self._state_lock:
            changed = now_due != self._next_runs
            self._next_runs = now_due
        return changed

    def _write_state(self, stopped: bool = False) -> None:
        now = self.clock()
        with self._state_lock:
            outlets = {}
            for sid in self.sources:
                since, trigger = self._running.get(sid, (None, None))
                outlets[sid] = OutletState(self._next_runs.get(sid), since, trigger)
            state = DaemonState(os.getpid(), self.started_at, now, now if stopped else None, outlets)
            try:
                write_state(self.state_file, state)
            except OSError as exc:
                log.warning("cannot write the daemon state file %s: %s", self.state_file, exc)


def run_daemon(sources: Sequence[Source], options: DaemonOptions) -> None:
    """Run the daemon of the archive in the foreground until SIGTERM or SIGINT."""
    lock = daemon_lock(options.child.db)
    try:
        lock.acquire()
    except LockBusy as busy:
        holder = f"pid {busy.pid}" if busy.pid else "another process"
        raise DaemonRunning(f"a daemon already runs on this archive ({holder})") from None
    archive = Archive.open(options.child.db)
    previous: dict[int, Any] = {}
    try:
        daemon = Daemon(sources, archive, options)
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, _stopper(daemon))
        log.info("daemon started, pid %d, archive %s, outlets %s", os.getpid(), options.child.db,
                 ", ".join(daemon.sources))
        daemon.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        archive.close()
        lock.release()


def _stopper(daemon: Daemon) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s", signal.Signals(signum).name)
        daemon.stop()
    return handler


def _show(when: datetime | None) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if when else "never"
