"""What `belmon outlets` reports: each configured outlet as data, joined with what the archive
holds of it (articles, last run, health, how its pages read), as plain rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.sources import Edition, Source
from scheduler import health
from scheduler.status import WARNING_LOOKBACK
from storage import queries
from storage.archive import Archive
from storage.queries import ReadingFigures

OUTLET_COLUMNS = ("outlet", "name", "editions", "discovery", "enabled", "schedule", "articles",
                  "last_run_at", "last_status", "health", "reads")


def outlet_rows(sources: Mapping[str, Source], archive: Archive | None,
                now: datetime) -> list[dict[str, Any]]:
    """One row per configured outlet, in the sources file's order; without an archive the
    archive's columns are empty."""
    counts: dict[str, int] = {}
    last: dict[str, queries.RunView] = {}
    recent: dict[str, list[queries.RunView]] = {}
    reads: dict[str, ReadingFigures] = {}
    if archive is not None:
        counts = queries.article_counts(archive.engine)
        last = {r.outlet: r for r in queries.last_runs(archive.engine)}
        recent = queries.recent_runs(archive.engine, since=now - WARNING_LOOKBACK)
        reads = queries.reading_figures(archive.engine)
    rules = health.HealthRules()
    rows = []
    for sid, source in sources.items():
        run = last.get(sid)
        warnings = health.outlet_warnings(sid, recent.get(sid, []), rules)
        rows.append({
            "outlet": sid, "name": source.name,
            "editions": [_edition(source, e) for e in source.editions],
            "discovery": _discovery(source),
            "enabled": source.enabled,
            "schedule": f"cron {source.cron}" if source.cron
            else f"every {source.interval_minutes:g} min",
            "articles": counts.get(sid, 0),
            "last_run_at": run.started_at if run else None,
            "last_status": run.status if run else None,
            "health": "; ".join(w.partition(": ")[2] for w in warnings) or (
                "ok" if run else None),
            "reads": _reads(reads[sid]) if sid in reads else None,
        })
    return rows


def _edition(source: Source, edition: Edition) -> dict[str, Any]:
    return {"edition": edition.lang or None, "language": edition.language_hint,
            "base_url": source.edition_canonical(edition)}


def _discovery(source: Source) -> str:
    """`ru: feed ×2, listing; be: listing` (an unnamed edition without its name)."""
    parts = []
    for e in source.editions:
        ways = ([f"feed ×{len(e.feeds)}" if len(e.feeds) > 1 else "feed"] if e.feeds else [])
        ways += ["listing"] if e.listing else []
        parts.append((f"{e.lang}: " if e.lang else "") + ", ".join(ways))
    return "; ".join(parts)


def _reads(figures: ReadingFigures) -> str:
    """`of the last 50: dated 50, author 31, lead 12; selectors 50`."""
    n = figures.articles
    how = ", ".join(f"{k} {v}" for k, v in figures.extractors.items())
    return (f"of the last {n}: dated {figures.dated}, author {figures.authored}, "
            f"lead {figures.with_lead}; {how}")


def editions_text(editions: list[dict[str, Any]]) -> str:
    """`ru, be, be_latn (be), en` for a table cell."""
    names = []
    for e in editions:
        name = e["edition"] or (e["language"] or "one, language detected")
        if e["edition"] and e["language"] and e["language"] != e["edition"]:
            name += f" ({e['language']})"
        names.append(name)
    return ", ".join(names)
