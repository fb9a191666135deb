"""`belmon daemon` in a subprocess against the replica: scheduled runs, failures, stops, locks."""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from replica.corpus import load_corpus
from replica.server import Replica
from scheduler.daemon_state import read_state, state_path
from storage.locks import pid_alive
from tests.conftest import belmon_command, belmon_env, query, run_belmon

INTERVAL_MINUTES = 0.05  # three seconds between scheduled runs
INTERVAL = INTERVAL_MINUTES * 60
OUTLETS = ("charter97", "pozirk")


class FaultyOutlet(ThreadingHTTPServer):
    """A stand-in outlet that relays to the replica, answers 500, or holds requests at a gate."""

    daemon_threads = True

    def __init__(self, target: str) -> None:
        super().__init__(("127.0.0.1", 0), _FaultyHandler)
        self.target = target
        self.mode = "relay"  # relay | error | gate
        self.gate = threading.Event()
        self.hold = 60.0  # longest a request waits at the closed gate
        self.requests = 0
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> FaultyOutlet:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.gate.set()
        self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a crawl killed mid-request leaves a broken pipe behind: expected here


class _FaultyHandler(BaseHTTPRequestHandler):
    server: FaultyOutlet

    def do_GET(self) -> None:
        server = self.server
        server.requests += 1
        if server.mode == "gate":
            server.gate.wait(server.hold)
        if server.mode == "error":  # looked at after the gate: the mode may have changed meanwhile
            self._answer(500, "text/html", b"<h1>500</h1>")
            return
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(server.target + self.path, timeout=30) as response:
                self._answer(response.status, response.headers["Content-Type"], response.read())
        except urllib.error.HTTPError as exc:
            self._answer(exc.code, exc.headers["Content-Type"] or "text/html", exc.read())

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class DaemonProcess:
    """`belmon daemon` running in the background, its log in a file."""

    def __init__(self, db: Path, log: Path, *args: str) -> None:
        self.log = log
        self._log_file = log.open("w")
        self.proc = subprocess.Popen(
            [*belmon_command(), "daemon", "--db", str(db), "--delay", "0", *args],
            env=belmon_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self._log_file,
        )

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then the exit status (the test fails if it takes longer than `timeout`)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log_file.close()

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def start_daemon(db: Path, tmp_path: Path) -> Iterator[Callable[..., DaemonProcess]]:
    started: list[DaemonProcess] = []

    def start(*args: str) -> DaemonProcess:
        daemon = DaemonProcess(db, tmp_path / f"daemon-{len(started)}.log", *args)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.kill()


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text("".join(f"[{o}]\ninterval_minutes = {INTERVAL_MINUTES}\n" for o in OUTLETS),
                    encoding="utf-8")
    return path


def _own_hosts(replica: Replica) -> list[str]:
    """--base-url arguments for the daemon's outlets only (the others are not crawled)."""
    return [a for o in OUTLETS for k, url in replica.hosts_of(o).items()
            for a in ("--base-url", f"{k}={url}")]


def wait_for(check: Callable[[], Any], timeout: float, what: str,
             daemon: DaemonProcess | None = None, log: Path | None = None) -> Any:
    """Poll `check` until it returns something true; fail with `what` and the daemon's (or a) log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if daemon is not None and daemon.proc.poll() is not None:
            pytest.fail(f"daemon exited with {daemon.proc.returncode} waiting for {what}:\n"
                        f"{daemon.text()[-3000:]}")
        time.sleep(0.1)
    text = daemon.text() if daemon else log.read_text(errors="replace") if log else ""
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{text[-3000:]}")


def runs(db: Path, where: str = "1") -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    try:
        return query(db, "select id, outlet, trigger, status, message, pid, started_at, "
                         f"finished_at, articles_new from crawl_runs where {where} order by id")
    except Exception:  # the schema is being created
        return []


def assert_archive_sound(db: Path) -> None:
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select count(*) from crawl_runs where status = 'running'") == [(0,)]


def _new_article(outlet: str, n: int) -> Any:
    newest = max((a for a in load_corpus() if a.outlet == outlet), key=lambda a: a.published)
    return replace(newest, id=newest.id + 5000 + n, title=f"{newest.title} (daemon {n})",
                   body=tuple(f"{p} [daemon {n}]" for p in newest.body),
                   published=newest.published + timedelta(hours=n + 1))


def test_scheduled_runs_are_recorded_and_new_articles_arrive_within_an_interval(
    replica: Replica, db: Path, sources_file: Path, start_daemon: Callable[..., DaemonProcess]
) -> None:
    daemon = start_daemon(*OUTLETS, "--sources", str(sources_file), *_own_hosts(replica))
    def scheduled_runs(outlet: str) -> list[tuple[Any, ...]]:
        return runs(db, f"outlet = '{outlet}' and status = 'ok' and trigger = 'schedule'")

    wait_for(lambda: all(len(runs(db, f"outlet = '{o}' and status = 'ok'")) >= 3
                         and scheduled_runs(o) for o in OUTLETS),
             40, "three ok runs of each outlet, scheduled ones among them", daemon)
    for outlet in OUTLETS:
        # The first run fills the archive (a catch-up); a later one may be a catch-up as well
        # when the first outlasted two of these 3-second intervals.
        triggers = [r[2] for r in runs(db, f"outlet = '{outlet}' and status != 'running'")]
        assert triggers[0] == "catch-up" and set(triggers) == {"catch-up", "schedule"}, triggers
    corpus = load_corpus()
    expected = {o: sum(a.outlet == o for a in corpus) for o in OUTLETS}
    assert dict(query(db, "select outlet, count(*) from articles group by 1")) == expected

    status = run_belmon("status", "--db", str(db))
    assert status.returncode == 0, status.stderr
    assert f"daemon: running, pid {daemon.proc.pid}" in status.stdout
    state = read_state(state_path(str(db)))
    assert state is not None and state.pid == daemon.proc.pid and set(state.outlets) == set(OUTLETS)
    assert all(o.next_run or o.running_since for o in state.outlets.values())
    second = run_belmon("daemon", *OUTLETS, "--db", str(db), *_own_hosts(replica), timeout=60)
    assert second.returncode == 1
    assert f"a daemon already runs on this archive (pid {daemon.proc.pid})" in second.stderr

    added = [_new_article(o, 1) for o in OUTLETS]
    added_at = time.monotonic()
    for article in added:
        replica.add(article)
    titles = [a.title for a in added]
    marks = ", ".join("?" * len(titles))
    wait_for(lambda: len(query(db, f"select 1 from articles where title in ({marks})", *titles)) == 2,
             4 * INTERVAL + 10, "the added articles in the archive", daemon)
    waited = time.monotonic() - added_at  # at most an interval (+ jitter) to the next run, then its crawl
    assert waited < 1.1 * INTERVAL + 10, waited
    stored_by = query(db, "select r.outlet, r.trigger from articles a join crawl_runs r "
                          f"on r.id = a.crawl_run_id where a.title in ({marks})", *titles)
    assert sorted(o for o, _ in stored_by) == list(OUTLETS)
    assert {trigger for _, trigger in stored_by} <= {"schedule", "catch-up"}  # the daemon's runs

    assert daemon.stop() == 0
    assert_archive_sound(db)
    assert "daemon stopped" in daemon.text()
    status = run_belmon("status", "--db", str(db))
    assert "daemon: not running (stopped" in status.stdout


def test_a_failed_crawl_is_recorded_and_the_following_run_succeeds(
    replica: Replica, db: Path, sources_file: Path, start_daemon: Callable[..., DaemonProcess]
) -> None:
    with FaultyOutlet(replica.base_urls["charter97"]) as outlet:
        outlet.mode = "gate"  # the site hangs: the crawl outlives its time limit
        site = ["charter97", "--sources", str(sources_file), "--base-url", f"charter97={outlet.base_url}"]
        # The limit is long enough for the child to have started and be stuck in the fetch on
        # a loaded machine (killed sooner, it dies of SIGTERM before Scrapy has a handler).
        daemon = start_daemon(*site, "--crawl-timeout", "8", "--stop-timeout", "1")
        hung = wait_for(lambda: runs(db, "status = 'failed'"), 40, "the hung crawl to fail", daemon)
        assert hung[0][4] == "time limit of 8 s exceeded; killed 1 s after SIGTERM", hung
        assert not pid_alive(hung[0][5])
        wait_for(lambda: runs(db, f"id > {hung[0][0]}"), 30, "the next scheduled run", daemon)
        assert daemon.stop() == 0

        outlet.mode = "error"  # the site answers 500 to everything
        outlet.gate.set()
        daemon = start_daemon(*site)
        # Two failures of the failing site after the time limit's: three in a row (a run the
        # first daemon's stop interrupted is recorded as stopped, and does not count).
        errored = wait_for(lambda: len(failing := runs(db, "message like 'no discovery page%'"))
                           >= 2 and failing, 30, "crawls of the failing site to fail", daemon)
        assert errored[0][3] == "failed"
        status = run_belmon("status", "--db", str(db))
        assert re.search(r"warnings:\n  charter97: nothing from the last \d+ runs "
                         r"\(last: no discovery page", status.stdout), status.stdout

        outlet.mode = "relay"  # fixed: the next run succeeds, paging back as far as needed
        fixed = wait_for(lambda: runs(db, f"id > {errored[0][0]} and status = 'ok'"), 30,
                         "a successful run once the site is back", daemon)
        assert fixed[0][2] == "catch-up" and fixed[0][8] > 0, runs(db)
        assert daemon.stop() == 0
    assert_archive_sound(db)
    statuses = [r[3] for r in runs(db) if r[3] != "stopped"]
    first_ok = statuses.index("ok")
    assert first_ok >= 3 and statuses[:first_ok] == ["failed"] * first_ok


def test_sigterm_during_a_crawl_exits_cleanly_with_the_run_recorded(
    replica: Replica, db: Path, sources_file: Path, start_daemon: Callable[..., DaemonProcess]
) -> None:
    with FaultyOutlet(replica.base_urls["charter97"]) as outlet:
        outlet.mode, outlet.hold = "gate", 1.5  # a slow site: each page takes 1.5 s
        daemon = start_daemon("charter97", "--sources", str(sources_file),
                              "--base-url", f"charter97={outlet.base_url}", "--stop-timeout", "15")
        running = wait_for(lambda: outlet.requests > 0 and runs(db, "status = 'running'"), 30,
                           "a crawl under way", daemon)
        began = time.monotonic()
        assert daemon.stop(timeout=30) == 0
        assert time.monotonic() - began < 15
    assert_archive_sound(db)
    [(_, _, _, status, message, pid, *_)] = runs(db, f"id = {running[0][0]}")
    # A planned stop is neither a failure nor a gap: recorded as stopped, no warning.
    assert status == "stopped" and "the daemon was shutting down; stopped with SIGTERM" in message
    assert not pid_alive(pid)
    state = read_state(state_path(str(db)))
    assert state is not None and state.stopped_at is not None
    shown = run_belmon("status", "--db", str(db))
    assert "stopped" in shown.stdout and "warnings:" not in shown.stdout


def test_a_manual_crawl_of_the_outlet_being_crawled_waits_or_exits_and_others_proceed(
    replica: Replica, db: Path, sources_file: Path, start_daemon: Callable[..., DaemonProcess]
) -> None:
    manual = ["--db", str(db), "--delay", "0"]
    with FaultyOutlet(replica.base_urls["charter97"]) as outlet:
        outlet.mode = "gate"  # holds the daemon's charter97 crawl until the gate opens
        daemon = start_daemon("charter97", "--sources", str(sources_file),
                              "--base-url", f"charter97={outlet.base_url}")
        [scheduled] = wait_for(lambda: outlet.requests > 0 and runs(db, "status = 'running'"), 30,
                               "the daemon's crawl under way", daemon)

        refused = run_belmon("crawl", "charter97", *manual, "--base-url",
                             replica.base_urls["charter97"])
        assert refused.returncode == 75
        assert (f"charter97 is being crawled by pid {scheduled[5]}; use --wait to wait"
                in refused.stderr)

        waiting = subprocess.Popen(
            [*belmon_command(), "crawl", "charter97", "--wait", *manual,
             "--base-url", replica.base_urls["charter97"]],
            env=belmon_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        try:
            other = run_belmon("crawl", "pozirk", *manual, "--base-url", replica.base_urls["pozirk"])
            assert other.returncode == 0, other.stderr[-2000:]
            assert runs(db, f"id = {scheduled[0]} and status = 'running'")  # concurrent, still held
            assert waiting.poll() is None  # still waiting for the lock

            outlet.gate.set()
            out, err = waiting.communicate(timeout=60)
        finally:
            if waiting.poll() is None:
                waiting.kill()
                waiting.wait()
        assert waiting.returncode == 0, err[-2000:]
        assert "charter97 is being crawled by pid" in err and "waiting" in err
        assert daemon.stop() == 0
    assert_archive_sound(db)
    [done] = runs(db, f"id = {scheduled[0]}")
    [waited] = runs(db, "outlet = 'charter97' and trigger = 'manual'")
    assert done[3] == "ok" and waited[3] == "ok"
    assert waited[6] >= done[7]  # began once the daemon's crawl had finished
    assert runs(db, "outlet = 'pozirk' and status = 'ok'")


def test_a_scheduled_run_skips_an_outlet_a_manual_crawl_holds(
    replica: Replica, db: Path, tmp_path: Path, sources_file: Path,
    start_daemon: Callable[..., DaemonProcess],
) -> None:
    manual_log = tmp_path / "manual.log"
    with FaultyOutlet(replica.base_urls["charter97"]) as outlet, manual_log.open("w") as log:
        outlet.mode = "gate"
        held = subprocess.Popen(
            [*belmon_command(), "crawl", "charter97", "--db", str(db), "--delay", "0",
             "--base-url", outlet.base_url],
            env=belmon_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_for(lambda: outlet.requests > 0 and runs(db, "status = 'running'"), 30,
                     "the manual crawl under way", log=manual_log)
            daemon = start_daemon("charter97", "--sources", str(sources_file),
                                  "--base-url", f"charter97={replica.base_urls['charter97']}")
            wait_for(lambda: "charter97: skipped, another process is crawling it" in daemon.text(),
                     30, "the daemon to skip the held outlet", daemon)
            assert runs(db, "trigger != 'manual'") == []  # a skip is no failed run
            outlet.gate.set()
            assert held.wait(timeout=60) == 0
        finally:
            if held.poll() is None:
                held.kill()
                held.wait()
        wait_for(lambda: runs(db, "trigger != 'manual' and status = 'ok'"), 30,
                 "the daemon's next run to succeed", daemon)
        assert daemon.stop() == 0
    assert_archive_sound(db)


def test_no_more_crawls_at_once_than_the_cap(
    replica: Replica, db: Path, sources_file: Path, start_daemon: Callable[..., DaemonProcess]
) -> None:
    daemon = start_daemon(*OUTLETS, "--sources", str(sources_file), *_own_hosts(replica),
                          "--max-crawls", "1", "--outlets-per-crawl", "1")
    done = wait_for(lambda: len(finished := runs(db, "status != 'running'")) >= 4 and finished,
                    60, "four finished runs", daemon)
    assert daemon.stop() == 0
    spans = sorted((r[6], r[7]) for r in done)
    # One at a time: each run starts after the one before it finished.
    assert all(start >= end for (_s, end), (start, _e) in pairwise(spans)), spans
    assert {r[1] for r in done} == set(OUTLETS)  # the second outlet waited, it was not dropped


def test_outlets_due_together_share_one_crawl_process_and_a_hung_one_holds_up_no_other(
    replica: Replica, db: Path, sources_file: Path, start_daemon: Callable[..., DaemonProcess]
) -> None:
    with FaultyOutlet(replica.base_urls["charter97"]) as outlet:
        outlet.mode = "gate"  # charter97 hangs; pozirk, in the same group, answers
        daemon = start_daemon(*OUTLETS, "--sources", str(sources_file),
                              "--base-url", f"charter97={outlet.base_url}",
                              "--base-url", f"pozirk={replica.base_urls['pozirk']}",
                              "--crawl-timeout", "8", "--stop-timeout", "1")
        hung = wait_for(lambda: runs(db, "outlet = 'charter97' and status = 'failed'"), 60,
                        "the hung outlet's crawl to fail", daemon)
        assert daemon.stop() == 0
    [(_, _, _, _, message, pid, started, *_)] = hung[:1]
    assert message == "time limit of 8 s exceeded; killed 1 s after SIGTERM"
    # pozirk was crawled by the same process, and finished while charter97 hung.
    [(_, _, trigger, status, _, pozirk_pid, _, finished, new)] = runs(
        db, f"outlet = 'pozirk' and pid = {pid}")
    assert (trigger, status, pozirk_pid) == ("catch-up", "ok", pid)
    assert new == sum(a.outlet == "pozirk" for a in load_corpus())
    assert finished < hung[0][7]  # its record was written long before the hung one's
    assert "charter97, pozirk: catch-up crawl" in daemon.text()
    assert_archive_sound(db)
