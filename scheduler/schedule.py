"""The daemon's timetable as pure functions: a trigger per outlet, when it first runs, when to catch up."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from crawler.sources import Source, SourceError
from storage.queries import RunTimes

JITTER_SHARE = 0.1  # an interval run starts up to 10 % of its interval late ...
# ... but never more than 30 s: the slots already spread the runs, and an article published
# just after a run waits at most an interval plus the jitter plus a crawl for the next one.
MAX_JITTER = 30.0
CATCH_UP_FACTOR = 2  # a last success older than this many intervals means a gap to fill
SLOT_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # interval slots count from here
_CRON_SAMPLES = 24  # fire times looked at to find a cron schedule's longest gap
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class CrawlGroup:
    """Outlets that fall due together and are crawled by one crawl process: the start-up of
    a crawl process (Scrapy, the themes, the language model) costs seconds of CPU and a few
    hundred MB, an incremental run of one more outlet in it a fraction of that."""

    outlets: tuple[str, ...]
    trigger: BaseTrigger
    interval: timedelta  # the (longest) time between two scheduled runs
    first_run: datetime | None  # None: when the trigger says; else at once (overdue or a gap)

    @property
    def id(self) -> str:
        return "+".join(self.outlets)


def plan_groups(sources: Sequence[Source], history: Mapping[str, RunTimes], now: datetime,
                per_crawl: int = 1) -> list[CrawlGroup]:
    """The outlets in groups of at most `per_crawl`, each group with its own slot.

    Outlets on one interval are split into as few groups as `per_crawl` allows (sizes that
    differ by one at most, in id order), and the groups' slots spread evenly over the
    interval (`slot_offsets`): the same slots after every restart. Outlets with the same cron
    line share its fire times. A group runs at once when one of its outlets is overdue or
    has a gap to fill.
    """
    if per_crawl < 1:
        raise ValueError("per_crawl must be at least 1")
    by_schedule: dict[tuple[str, float], list[Source]] = {}
    for source in sorted(sources, key=lambda s: s.id):
        key = (source.cron, 0.0) if source.cron else ("", source.interval_minutes * 60)
        by_schedule.setdefault(key, []).append(source)
    groups = []
    for (_cron, seconds), members in sorted(by_schedule.items()):
        chunks = _chunks(members, per_crawl)
        for i, chunk in enumerate(chunks):
            offset = seconds * i / len(chunks)
            trigger = outlet_trigger(chunk[0], offset=offset)
            interval = typical_interval(trigger, now)
            due = any(_due(history.get(s.id, RunTimes(None, None)), interval, now) for s in chunk)
            groups.append(CrawlGroup(tuple(s.id for s in chunk), trigger, interval,
                                     now if due else None))
    return groups


def _chunks(members: list[Source], most: int) -> list[list[Source]]:
    """`members` in ceil(n / most) consecutive runs whose sizes differ by one at most."""
    count = -(-len(members) // most)
    size, extra = divmod(len(members), count)
    chunks, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        chunks.append(members[start:end])
        start = end
    return chunks


def _due(times: RunTimes, interval: timedelta, now: datetime) -> bool:
    return (times.last_started is None or times.last_started + interval <= now
            or needs_catch_up(times.last_success, interval, now))


def needs_catch_up(last_success: datetime | None, interval: timedelta, now: datetime) -> bool:
    """Whether a run should page back to the horizon: no success yet, or none for two intervals."""
    return last_success is None or now - last_success > CATCH_UP_FACTOR * interval


def outlet_trigger(source: Source, offset: float = 0.0) -> BaseTrigger:
    """The outlet's cron expression (UTC) if it has one, else its interval with jitter.

    An interval's runs fall at fixed slots, `offset` seconds after each multiple of the
    interval counted from SLOT_EPOCH: the same times before and after a restart.
    """
    if source.cron:
        return cron_trigger(source.id, source.cron)
    seconds = source.interval_minutes * 60
    return SlotTrigger(timedelta(seconds=seconds), SLOT_EPOCH + timedelta(seconds=offset),
                       interval_jitter(seconds))


class SlotTrigger(BaseTrigger):  # type: ignore[misc]
    """Fires at fixed slots, `start_date` + k × `interval`, each up to `jitter` seconds late.

    APScheduler's IntervalTrigger counts the next run from the last one: a run started at
    once (an overdue outlet at start-up) or late (jitter, a full pool) moves every later run,
    so outlets started together stay together, and the jitter adds up run after run. Here the
    next run is always the next slot: the same times before and after a restart.
    """

    def __init__(self, interval: timedelta, start_date: datetime, jitter: float) -> None:
        if interval <= timedelta(0):
            raise ValueError("interval must be positive")
        self.interval = interval
        self.start_date = start_date
        self.jitter = jitter

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime:
        if previous_fire_time is None:  # the first slot from now on
            index = math.ceil((now - self.start_date) / self.interval)
        else:  # the slot after the previous run's (late by its jitter, or started at once)
            index = math.floor((previous_fire_time - self.start_date) / self.interval) + 1
            if self._slot(index) - previous_fire_time < self.interval / 2:
                index += 1  # a run at once just before a slot: that slot is skipped, not run twice
        return self._slot(index) + timedelta(seconds=random.uniform(0, self.jitter))

    def _slot(self, index: int) -> datetime:
        return self.start_date + index * self.interval

    def __str__(self) -> str:
        return (f"every {self.interval}, at {self.start_date:%H:%M:%S} UTC + k × interval, "
                f"up to {self.jitter:g} s late")


def interval_jitter(seconds: float) -> float:
    return min(seconds * JITTER_SHARE, MAX_JITTER)


def cron_trigger(outlet_id: str, expr: str) -> CronTrigger:
    """A trigger from a standard crontab line (weekday 0 or 7 is Sunday), read in UTC."""
    fields = expr.split()
    if len(fields) != 5:
        raise SourceError(f"source {outlet_id!r}: cron {expr!r} needs five fields")
    minute, hour, day, month, weekday = fields
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=crontab_weekdays(weekday), timezone=UTC)
    except ValueError as exc:
        raise SourceError(f"source {outlet_id!r}: cron {expr!r}: {exc}") from None


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field (0 = Sunday) as APScheduler's names (its 0 is Monday)."""
    days: set[int] = set()
    for item in field.lower().split(","):
        span, _, step_text = item.partition("/")
        step = int(step_text) if step_text.isdigit() else 1
        if span == "*":
            first, last = 0, 6
        else:
            low, _, high = span.partition("-")
            first = _day(low, field)
            last = _day(high, field) if high else (6 if step_text else first)
            if high and last == 0:  # "5-7" or "5-0": up to Sunday
                last = 7
        if (step_text and (not step_text.isdigit() or step == 0)) or last < first:
            raise ValueError(f"weekday field {field!r} is not valid")
        days.update(d % 7 for d in range(first, last + 1, step))
    return "*" if len(days) == 7 else ",".join(_DAYS[d] for d in sorted(days))


def _day(text: str, field: str) -> int:
    """0..7 from a number or a three-letter name (7, like 0, is Sunday)."""
    if text.isdigit() and int(text) <= 7:
        return int(text)
    if text in _DAYS:
        return _DAYS.index(text)
    raise ValueError(f"weekday field {field!r}: {text!r} is not a day")


def typical_interval(trigger: BaseTrigger, now: datetime) -> timedelta:
    """The time between runs: the interval itself, or a cron schedule's longest gap ahead."""
    if isinstance(trigger, SlotTrigger):
        return trigger.interval
    fires: list[datetime] = []
    previous = None
    for _ in range(_CRON_SAMPLES):
        nxt = trigger.get_next_fire_time(previous, (previous or now) + timedelta(microseconds=1))
        if nxt is None:
            break
        fires.append(nxt)
        previous = nxt
    gaps = [b - a for a, b in zip(fires, fires[1:], strict=False)]
    return max(gaps, default=timedelta(days=1))
