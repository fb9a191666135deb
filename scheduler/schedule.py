"""The daemon's timetable as pure functions: a trigger per outlet, when it first runs, when to catch up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.sources import Source, SourceError
from storage.queries import RunTimes

JITTER_SHARE = 0.1  # an interval run starts up to 10 % of its interval late ...
MAX_JITTER = 60.0  # ... but never more than a minute, so outlets' runs drift apart
CATCH_UP_FACTOR = 2  # a last success older than this many intervals means a gap to fill
SLOT_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # interval slots count from here
_CRON_SAMPLES = 24  # fire times looked at to find a cron schedule's longest gap
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class OutletJob:
    """One outlet's place in the timetable."""

    outlet: str
    trigger: BaseTrigger
    interval: timedelta  # the (longest) time between two scheduled runs
    first_run: datetime | None  # None: when the trigger says; else at once (overdue or a gap)


def plan_jobs(sources: Sequence[Source], history: Mapping[str, RunTimes], now: datetime) -> list[OutletJob]:
    """A job for each outlet; one whose run is overdue, or who has a gap to fill, runs at once.

    Outlets on one interval get their slots spread evenly over it (`slot_offsets`), the same
    slots after every restart, so that they do not all fall due in the same minute.
    """
    offsets = slot_offsets(sources)
    jobs = []
    for source in sources:
        times = history.get(source.id, RunTimes(None, None))
        trigger = outlet_trigger(source, offset=offsets.get(source.id, 0.0))
        interval = typical_interval(trigger, now)
        due = (times.last_started is None or times.last_started + interval <= now
               or needs_catch_up(times.last_success, interval, now))
        jobs.append(OutletJob(source.id, trigger, interval, now if due else None))
    return jobs


def slot_offsets(sources: Sequence[Source]) -> dict[str, float]:
    """Seconds into its interval at which each interval outlet's runs fall: the outlets that
    share an interval, in id order, spread evenly over it (n outlets: every interval/n)."""
    by_interval: dict[float, list[str]] = {}
    for source in sources:
        if not source.cron:
            by_interval.setdefault(source.interval_minutes * 60, []).append(source.id)
    return {sid: seconds * i / len(ids)
            for seconds, ids in by_interval.items() for i, sid in enumerate(sorted(ids))}


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
    return IntervalTrigger(seconds=seconds, start_date=SLOT_EPOCH + timedelta(seconds=offset),
                           timezone=UTC, jitter=interval_jitter(seconds))


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
    if isinstance(trigger, IntervalTrigger):
        return trigger.interval  # type: ignore[no-any-return]
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
