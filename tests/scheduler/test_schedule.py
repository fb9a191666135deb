"""The daemon's timetable, with a controlled clock: jobs from outlets, jitter, cron, catch-up."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger

from crawler.sources import Source, SourceError, load_sources
from scheduler.daemon_state import DaemonState, OutletState, describe, read_state, write_state
from scheduler.schedule import (
    SlotTrigger,
    crontab_weekdays,
    needs_catch_up,
    outlet_trigger,
    plan_groups,
    typical_interval,
)
from storage.queries import RunTimes
from tests.conftest import belmon_env

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
SOURCES = load_sources()


def _source(sid: str = "charter97", **changes: object) -> Source:
    return replace(SOURCES[sid], **changes)  # type: ignore[arg-type]


def test_an_outlet_never_crawled_runs_at_once_on_its_interval() -> None:
    [job] = plan_groups([_source(interval_minutes=15)], {}, NOW)
    assert job.outlets == ("charter97",)
    assert job.first_run == NOW
    assert isinstance(job.trigger, SlotTrigger)
    assert job.interval == timedelta(minutes=15)
    assert job.trigger.jitter == pytest.approx(30)  # 10 % of 15 min is 90 s: capped at 30 s


def test_fractional_minutes_give_a_seconds_long_interval_with_a_small_jitter() -> None:
    trigger = outlet_trigger(_source(interval_minutes=0.05))
    assert isinstance(trigger, SlotTrigger)
    assert trigger.interval == timedelta(seconds=3)
    assert trigger.jitter == pytest.approx(0.3)


def test_a_recent_run_waits_for_its_slot_the_same_after_a_restart() -> None:
    last = NOW - timedelta(minutes=10)
    history = {"charter97": RunTimes(last_started=last, last_success=last)}
    [job] = plan_groups([_source(interval_minutes=30)], history, NOW)
    assert job.first_run is None  # the trigger decides: the outlet's next slot
    [later] = plan_groups([_source(interval_minutes=30)], history, NOW + timedelta(minutes=7))
    assert isinstance(job.trigger, SlotTrigger) and isinstance(later.trigger, SlotTrigger)
    assert (job.trigger.start_date, job.trigger.interval) == (later.trigger.start_date,
                                                              later.trigger.interval)
    random.seed(5)
    first = job.trigger.get_next_fire_time(None, NOW + timedelta(seconds=1))
    slot = NOW + timedelta(minutes=30)  # slots at :00 and :30 (offset 0); NOW is 10:00
    assert slot <= first <= slot + timedelta(seconds=60)


def test_outlets_on_one_interval_fall_due_spread_over_it() -> None:
    outlets = [_source(sid, interval_minutes=30) for sid in ("pozirk", "charter97", "belta")]
    outlets.append(_source("zerkalo", cron="0 6 * * *"))  # its cron line decides, no slot
    [belta, charter97, pozirk] = [
        j for j in sorted(plan_groups(outlets, {}, NOW), key=lambda j: j.id) if j.id != "zerkalo"]
    starts = [j.trigger.start_date for j in (belta, charter97, pozirk)]
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [timedelta(minutes=10)] * 2
    random.seed(3)
    fires = sorted(j.trigger.get_next_fire_time(None, NOW + timedelta(seconds=1))
                   for j in (belta, charter97, pozirk))
    gaps = [(b - a).total_seconds() for a, b in zip(fires, fires[1:], strict=False)]
    assert all(540 <= g <= 660 for g in gaps), gaps  # ten minutes apart, give or take the jitter


def test_outlets_on_one_interval_are_crawled_in_as_few_groups_as_the_cap_allows() -> None:
    ids = [f"copy{n:03d}" for n in range(100)]
    outlets = [_source(interval_minutes=15, id=sid) for sid in ids]
    groups = plan_groups(outlets, {}, NOW, per_crawl=10)
    assert len(groups) == 10 and all(len(g.outlets) == 10 for g in groups)
    assert sorted(o for g in groups for o in g.outlets) == ids  # every outlet, once
    starts = sorted(g.trigger.start_date for g in groups)
    assert {b - a for a, b in zip(starts, starts[1:], strict=False)} == {timedelta(seconds=90)}
    # Seven outlets at four per crawl: two groups of four and three, half an interval apart.
    few = plan_groups(outlets[:7], {}, NOW, per_crawl=4)
    assert [len(g.outlets) for g in few] == [4, 3]
    assert few[1].trigger.start_date - few[0].trigger.start_date == timedelta(seconds=450)
    # The same groups and slots after a restart, whatever order the outlets come in.
    again = plan_groups(list(reversed(outlets)), {}, NOW + timedelta(hours=5), per_crawl=10)
    assert [(g.outlets, g.trigger.start_date) for g in again] == [
        (g.outlets, g.trigger.start_date) for g in groups]


def test_a_group_runs_at_once_when_one_of_its_outlets_is_overdue() -> None:
    recent = RunTimes(NOW - timedelta(minutes=5), NOW - timedelta(minutes=5))
    outlets = [_source(sid, interval_minutes=30) for sid in ("belta", "charter97", "pozirk")]
    [group] = plan_groups(outlets, {"belta": recent, "charter97": recent, "pozirk": recent}, NOW,
                          per_crawl=3)
    assert group.first_run is None
    [group] = plan_groups(outlets, {"belta": recent, "charter97": recent}, NOW, per_crawl=3)
    assert group.first_run == NOW and group.id == "belta+charter97+pozirk"


def test_cron_outlets_share_a_group_only_with_the_same_cron_line() -> None:
    outlets = [_source("belta", cron="0 6 * * *"), _source("pozirk", cron="0 6 * * *"),
               _source("zerkalo", cron="30 6 * * *"), _source("charter97", interval_minutes=30)]
    assert sorted(g.outlets for g in plan_groups(outlets, {}, NOW, per_crawl=10)) == [
        ("belta", "pozirk"), ("charter97",), ("zerkalo",)]


def test_an_overdue_outlet_runs_at_once() -> None:
    last = NOW - timedelta(minutes=45)
    history = {"charter97": RunTimes(last_started=last, last_success=last)}
    [job] = plan_groups([_source(interval_minutes=30)], history, NOW)
    assert job.first_run == NOW


def test_jitter_spreads_runs_within_the_jitter_of_their_slots_and_never_adds_up() -> None:
    trigger = outlet_trigger(_source(interval_minutes=10))  # slots at :00, :10, ... (NOW is 10:00)
    random.seed(1)
    previous = NOW
    delays = []
    for k in range(1, 51):
        fire = trigger.get_next_fire_time(previous, previous)
        delays.append((fire - (NOW + k * timedelta(minutes=10))).total_seconds())
        previous = fire
    assert all(0 <= d <= 30 for d in delays), delays  # the 50th run is still at its slot
    assert len({round(d, 3) for d in delays}) > 40


def test_a_run_started_at_once_is_followed_by_the_next_slot_not_an_interval_later() -> None:
    trigger = outlet_trigger(_source(interval_minutes=10), offset=120)  # slots at :02, :12, ...
    assert isinstance(trigger, SlotTrigger)
    trigger.jitter = 0
    at_once = NOW + timedelta(minutes=5, seconds=17)  # 10:05:17, an overdue outlet at start-up
    assert trigger.get_next_fire_time(at_once, at_once) == NOW + timedelta(minutes=12)
    # Just before a slot: that slot would come seconds later; the next one is taken instead.
    early = NOW + timedelta(minutes=1, seconds=50)
    assert trigger.get_next_fire_time(early, early) == NOW + timedelta(minutes=12)
    assert trigger.get_next_fire_time(None, NOW) == NOW + timedelta(minutes=2)


@pytest.mark.parametrize(("last_success", "expected"), [
    (None, True),  # never succeeded: page back to the horizon
    (NOW - timedelta(minutes=30), False),  # one interval ago: nothing missed
    (NOW - timedelta(minutes=60), False),  # exactly two intervals: still the usual run
    (NOW - timedelta(minutes=60, seconds=1), True),  # beyond two intervals: a gap
    (NOW - timedelta(days=3), True),  # after days of downtime
])
def test_catch_up_when_the_last_success_is_older_than_two_intervals(
    last_success: datetime | None, expected: bool
) -> None:
    assert needs_catch_up(last_success, timedelta(minutes=30), NOW) is expected


def test_failed_runs_since_the_last_success_still_call_for_catch_up() -> None:
    # The outlet ran (and failed) a minute ago, but its last success is a day old.
    history = {"charter97": RunTimes(NOW - timedelta(minutes=1), NOW - timedelta(days=1))}
    [job] = plan_groups([_source(interval_minutes=30)], history, NOW)
    assert job.first_run == NOW
    assert needs_catch_up(history["charter97"].last_success, job.interval, NOW)


def test_cron_expressions_are_crontab_in_utc() -> None:
    trigger = outlet_trigger(_source(cron="0 6 * * 0"))  # Sundays at 06:00 UTC
    assert isinstance(trigger, CronTrigger)
    assert trigger.get_next_fire_time(None, NOW) == datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    weekdays = outlet_trigger(_source(cron="30 9 * * 1-5"))
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert weekdays.get_next_fire_time(None, friday) == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def test_a_cron_outlet_is_judged_by_its_longest_gap() -> None:
    assert typical_interval(outlet_trigger(_source(cron="*/15 * * * *")), NOW) == timedelta(minutes=15)
    assert typical_interval(outlet_trigger(_source(cron="0 9 * * mon-fri")), NOW) == timedelta(days=3)
    [job] = plan_groups([_source(cron="0 */6 * * *")],
                      {"charter97": RunTimes(NOW - timedelta(hours=2), NOW - timedelta(hours=2))}, NOW)
    assert job.interval == timedelta(hours=6)
    assert job.first_run is None


@pytest.mark.parametrize(("field", "expected"), [
    ("*", "*"), ("0", "sun"), ("7", "sun"), ("1-5", "mon,tue,wed,thu,fri"),
    ("mon-fri", "mon,tue,wed,thu,fri"), ("5-7", "sun,fri,sat"), ("*/2", "sun,tue,thu,sat"),
    ("0-6", "*"), ("sat,sun", "sun,sat"),
])
def test_crontab_weekdays_count_from_sunday(field: str, expected: str) -> None:
    assert crontab_weekdays(field) == expected


@pytest.mark.parametrize("expr", ["61 * * * *", "0 6 * * 8", "0 6 * * 3-1", "0 6 * * */0"])
def test_a_bad_cron_expression_names_the_outlet(expr: str) -> None:
    with pytest.raises(SourceError, match="charter97"):
        outlet_trigger(_source(cron=expr))


def test_the_cron_key_is_read_from_a_sources_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[pozirk]\ncron = "15 */2 * * *"\n', encoding="utf-8")
    assert load_sources(path)["pozirk"].cron == "15 */2 * * *"
    path.write_text('[pozirk]\ncron = "15 */2 * *"\n', encoding="utf-8")
    with pytest.raises(SourceError, match="pozirk"):
        load_sources(path)


def test_the_daemon_side_of_belmon_imports_no_scrapy() -> None:
    code = ("import sys, scheduler.cli, scheduler.daemon; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=belmon_env(), timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_the_state_file_round_trips_and_says_what_runs_next(tmp_path: Path) -> None:
    state = DaemonState(
        pid=4321, started_at=NOW, updated_at=NOW + timedelta(seconds=5),
        outlets={"charter97": OutletState(next_run=NOW + timedelta(minutes=30)),
                 "pozirk": OutletState(NOW + timedelta(minutes=3), NOW, "catch-up")},
    )
    path = tmp_path / "archive.sqlite.daemon.json"
    write_state(path, state)
    assert read_state(path) == state
    assert describe(state, NOW + timedelta(seconds=8), alive=True) == \
        "running, pid 4321, since 2026-11-23 10:00 UTC"
    assert "no heartbeat for 95 s" in describe(state, NOW + timedelta(seconds=100), alive=True)
    assert "pid 4321 is gone" in describe(state, NOW, alive=False)
    assert describe(replace(state, stopped_at=NOW), NOW, alive=False).startswith("not running (stopped")
    assert describe(None, NOW, alive=False).startswith("not running (no daemon")
    path.write_text("{half a file", encoding="utf-8")
    assert read_state(path) is None
