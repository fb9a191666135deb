"""Warnings from the run record: an outlet that yields nothing, or whose pages no longer read well. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import takewhile

from crawler.reasons import is_error
from storage.queries import RunView


@dataclass(frozen=True)
class HealthRules:
    """When the record of recent runs is worth a warning."""

    nothing_runs: int = 3  # consecutive runs that failed or fetched no page
    quiet_hours: float = 24.0  # no new article for this long, over at least `nothing_runs` runs
    window_runs: int = 5  # recent runs with article pages whose extraction is judged together
    min_article_pages: int = 5  # fewer article pages than this say nothing about extraction
    max_bad_share: float = 0.3  # share of pages read by the fallback, without a date, or rejected

    def __post_init__(self) -> None:
        if self.nothing_runs < 1 or self.window_runs < 1 or not 0 < self.max_bad_share < 1:
            raise ValueError(f"health rules out of range: {self}")


def warnings(runs_by_outlet: Mapping[str, Sequence[RunView]],
             rules: HealthRules | None = None) -> list[str]:
    """Every outlet's warnings, outlets in alphabetical order; runs are given newest first."""
    found: list[str] = []
    for outlet_id in sorted(runs_by_outlet):
        found += outlet_warnings(outlet_id, runs_by_outlet[outlet_id], rules or HealthRules())
    return found


def outlet_warnings(outlet_id: str, runs: Sequence[RunView], rules: HealthRules) -> list[str]:
    """Warnings for one outlet from its runs, newest first; a run still going, and one
    stopped on purpose (SIGTERM, Ctrl-C, the daemon shutting down), are left out."""
    finished = [r for r in runs if r.status not in ("running", "stopped")]
    found = []
    nothing = list(takewhile(_yielded_nothing, finished))
    quiet = list(takewhile(lambda r: r.articles_new == 0, finished))
    if len(nothing) >= rules.nothing_runs:
        last = nothing[0].message or nothing[0].status
        found.append(f"{outlet_id}: nothing from the last {len(nothing)} runs (last: {last})")
    elif len(quiet) >= rules.nothing_runs:
        hours = (quiet[0].started_at - quiet[-1].started_at).total_seconds() / 3600
        if hours >= rules.quiet_hours:
            found.append(f"{outlet_id}: no new article in the last {len(quiet)} runs, "
                         f"over {hours:.0f} h (have the listings moved?)")
    extraction = _extraction_warning(finished, rules)
    if extraction:
        found.append(f"{outlet_id}: {extraction}")
    return found


def _yielded_nothing(run: RunView) -> bool:
    return run.articles_new == 0 and (run.status == "failed" or run.pages_fetched == 0)


def _extraction_warning(finished: Sequence[RunView], rules: HealthRules) -> str | None:
    window = [r for r in finished if r.article_pages_fetched > 0][: rules.window_runs]
    pages = sum(r.article_pages_fetched for r in window)
    if pages < rules.min_article_pages:
        return None
    reasons: Counter[str] = Counter()
    for run in window:
        reasons.update({str(k): int(v) for k, v in run.rejected_reasons.items()})
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
    counts = (
        ("needed the fallback extractor", sum(r.fallback_used for r in window)),
        ("had no publication date", sum(r.no_date for r in window)),
        (f"were rejected ({rejected})" if rejected else "were rejected",
         sum(r.articles_rejected for r in window)),
    )
    bad = [f"{n} of {pages} article pages {what}" for what, n in counts
           if n / pages > rules.max_bad_share]
    if not bad:
        return None
    errors = sum(n for k, n in reasons.items() if is_error(k))
    cause = ("a bug or a broken install? the crawl log has a line per page"
             if errors / pages > rules.max_bad_share else "a site redesign?")
    return (f"extraction health dropped over the last {len(window)} runs: {'; '.join(bad)} ({cause})")
