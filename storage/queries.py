"""Reading the archive for the CLI: counts, run records, summaries."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, inspect, select

from storage.engine import READ_ONLY
from storage.models import ArticleRow, CrawlRun


@dataclass(frozen=True)
class RunView:
    """One crawl_runs row as plain data."""

    id: int
    outlet: str
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    pages_fetched: int
    article_pages_fetched: int
    articles_new: int
    articles_skipped: int
    articles_duplicate: int
    articles_revised: int
    articles_near_duplicate: int
    articles_rejected: int
    rejected_reasons: dict[str, Any]
    fetch_errors: int
    fallback_used: int
    no_date: int
    message: str | None


# The columns of a run as `belmon crawl --format json|jsonl|csv` prints it.
RUN_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(RunView))


def article_counts(engine: Engine) -> dict[str, int]:
    """Articles per outlet."""
    stmt = select(ArticleRow.outlet, func.count()).group_by(ArticleRow.outlet)
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        return {str(sid): int(n) for sid, n in conn.execute(stmt)}


def real_crawl_count(engine: Engine) -> int:
    """How many recorded runs were crawls of the real outlets (any trigger but "demo");
    0 for an archive that has no run table yet."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        if not inspect(conn).has_table(CrawlRun.__tablename__):
            return 0
        return int(conn.scalar(
            select(func.count()).select_from(CrawlRun).where(CrawlRun.trigger != "demo")) or 0)


def runs_by_id(engine: Engine, ids: list[int]) -> list[RunView]:
    stmt = select(CrawlRun).where(CrawlRun.id.in_(ids)).order_by(CrawlRun.id)
    return _runs(engine, stmt)


def last_runs(engine: Engine) -> list[RunView]:
    """The newest run of every outlet."""
    newest = select(func.max(CrawlRun.id)).group_by(CrawlRun.outlet).scalar_subquery()
    stmt = select(CrawlRun).where(CrawlRun.id.in_(newest)).order_by(CrawlRun.outlet)
    return _runs(engine, stmt)


def _runs(engine: Engine, stmt: Any) -> list[RunView]:
    names = RunView.__dataclass_fields__
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        rows = conn.execute(stmt).mappings().all()
    return [RunView(**{k: row[k] for k in names}) for row in rows]


@dataclass(frozen=True)
class RunTimes:
    """When an outlet's newest run started, and its newest successful (ok or partial) one."""

    last_started: datetime | None
    last_success: datetime | None


def run_times(engine: Engine) -> dict[str, RunTimes]:
    """Per outlet, the start of its newest run and of its newest successful run."""
    newest = func.max(CrawlRun.started_at)
    started = select(CrawlRun.outlet, newest).group_by(CrawlRun.outlet)
    success = started.where(CrawlRun.status.in_(("ok", "partial")))
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        last = {str(sid): at for sid, at in conn.execute(started)}
        good = {str(sid): at for sid, at in conn.execute(success)}
    return {sid: RunTimes(at, good.get(sid)) for sid, at in last.items()}


def recent_runs(engine: Engine, since: datetime) -> dict[str, list[RunView]]:
    """Every outlet's runs started since `since`, newest first."""
    stmt = select(CrawlRun).where(CrawlRun.started_at >= since).order_by(CrawlRun.id.desc())
    by_outlet: dict[str, list[RunView]] = {}
    for run in _runs(engine, stmt):
        by_outlet.setdefault(run.outlet, []).append(run)
    return by_outlet


def process_runs(engine: Engine, pid: int, since: datetime) -> list[RunView]:
    """The runs a process (say, a crawl the daemon started) recorded since `since`."""
    stmt = (select(CrawlRun).where(CrawlRun.pid == pid, CrawlRun.started_at >= since)
            .order_by(CrawlRun.id))
    return _runs(engine, stmt)


@dataclass(frozen=True)
class ReadingFigures:
    """How an outlet's recent articles read: how many had each field, and how they were read."""

    articles: int
    dated: int
    authored: int
    with_lead: int
    extractors: dict[str, int]  # extractor -> articles


def reading_figures(engine: Engine, per_outlet: int = 50) -> dict[str, ReadingFigures]:
    """Each outlet's newest `per_outlet` articles, by fetch time, summed up."""
    newest = select(
        ArticleRow.outlet, ArticleRow.published_at, ArticleRow.author, ArticleRow.lead,
        ArticleRow.extractor,
        func.row_number().over(partition_by=ArticleRow.outlet,
                               order_by=ArticleRow.fetched_at.desc()).label("n"),
    ).subquery()
    stmt = select(newest).where(newest.c.n <= per_outlet)
    found: dict[str, list[Any]] = {}
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        for row in conn.execute(stmt):
            found.setdefault(str(row.outlet), []).append(row)
    figures = {}
    for outlet, rows in found.items():
        extractors: dict[str, int] = {}
        for row in rows:
            extractors[row.extractor] = extractors.get(row.extractor, 0) + 1
        figures[outlet] = ReadingFigures(
            articles=len(rows), dated=sum(r.published_at is not None for r in rows),
            authored=sum(bool(r.author) for r in rows), with_lead=sum(bool(r.lead) for r in rows),
            extractors=dict(sorted(extractors.items())),
        )
    return figures


@dataclass(frozen=True)
class CheckedArticle:
    """One article as `belmon outlets check` shows it: what was found and where."""

    edition: str
    url: str
    extractor: str
    fields: dict[str, Any]  # field -> its value as stored
    field_sources: dict[str, str]


CHECKED_FIELDS = ("title", "lead", "body", "author", "published_at", "language", "image_url")


def checked_articles(engine: Engine) -> list[CheckedArticle]:
    """Every article of a (small, throw-away) check archive, in edition order."""
    columns = [getattr(ArticleRow, name) for name in CHECKED_FIELDS]
    stmt = select(ArticleRow.edition, ArticleRow.url, ArticleRow.extractor,
                  ArticleRow.field_sources, *columns).order_by(ArticleRow.edition, ArticleRow.id)
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        return [CheckedArticle(row.edition, row.url, row.extractor,
                               {name: getattr(row, name) for name in CHECKED_FIELDS},
                               dict(row.field_sources or {}))
                for row in conn.execute(stmt)]
