"""Writing the archive: sources, articles and crawl runs, each in its own short transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage import articles, migrate
from storage.articles import FEED, StoreResult
from storage.engine import ArchiveError, create_archive_engine, database_url
from storage.models import ArticleRow, ArticleUrl, CrawlRun, OutletRow
from storage.records import AnalysedArticle, RunTotals
from storage.stories import NearDuplicatePolicy, expire_bands

log = logging.getLogger(__name__)



# Every value crawl_runs.status takes (README "Run statuses" and docs/schema.md explain each).
RUN_STATUSES = ("running", "ok", "partial", "failed", "stopped")


class Archive:
    """The write side of the archive, over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, db: str, *, upgrade: bool = True) -> Archive:
        """Open (and by default create or upgrade) the archive at a path or URL."""
        engine = create_archive_engine(database_url(db))
        if upgrade:
            try:
                migrate.upgrade(engine)
            except ArchiveError:
                engine.dispose()
                raise
            except DBAPIError as exc:
                engine.dispose()
                raise ArchiveError(f"cannot open archive {db}: {exc.orig}") from None
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def register_source(self, outlet_id: str, name: str, canonical_base: str) -> None:
        with self.engine.begin() as conn:
            if conn.scalar(select(OutletRow.id).where(OutletRow.id == outlet_id)) is None:
                conn.execute(insert(OutletRow).values(
                    id=outlet_id, name=name, canonical_base=canonical_base, first_seen_at=_now()
                ))
            else:
                conn.execute(update(OutletRow).where(OutletRow.id == outlet_id).values(
                    name=name, canonical_base=canonical_base
                ))

    def start_run(self, outlet_id: str, trigger: str, base_url: str, pid: int | None) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(CrawlRun).values(
                    outlet=outlet_id, trigger=trigger, base_url=base_url, pid=pid,
                    started_at=_now(), status="running", **_zero_counts(),
                )
            )
            assert result.inserted_primary_key is not None
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, totals: RunTotals) -> None:
        values = dict(vars(totals))
        with self.engine.begin() as conn:
            conn.execute(
                update(CrawlRun).where(CrawlRun.id == run_id).values(finished_at=_now(), **values)
            )

    def previous_run_incomplete(self, outlet_id: str, run_id: int) -> bool:
        """Whether the outlet's run before `run_id` ended other than ok (killed, stopped, or
        short of some pages): it may have left listed articles unstored."""
        with self.engine.connect() as conn:
            status = conn.scalar(
                select(CrawlRun.status)
                .where((CrawlRun.outlet == outlet_id) & (CrawlRun.id < run_id))
                .order_by(CrawlRun.id.desc()).limit(1)
            )
        return status is not None and status != "ok"

    def fail_abandoned_runs(self, is_alive: Callable[[int], bool]) -> int:
        """Mark runs left 'running' by a process that no longer exists as failed."""
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(CrawlRun.id, CrawlRun.pid).where(CrawlRun.status == "running")
            ).all()
            dead = [r.id for r in rows if r.pid is None or not is_alive(r.pid)]
            if dead:
                conn.execute(
                    update(CrawlRun).where(CrawlRun.id.in_(dead)).values(
                        status="failed", finished_at=_now(),
                        message="interrupted: the crawl process ended without finishing",
                    )
                )
        return len(dead)

    def settle_process_runs(self, pid: int, since: datetime, status: str, reason: str, *,
                            stopped_from_outside: bool = True) -> int:
        """Record how a finished crawl process ended its runs.

        The runs it left 'running' get `status` ("stopped" for a planned stop, the daemon
        shutting down; "failed" for a time limit passed or a dead process) and `reason`. When
        it was stopped from outside, the runs it ended itself also get `reason` in front of
        their message, and with "failed" those it recorded as stopped on the SIGTERM fail.
        """
        if status not in ("stopped", "failed"):
            raise ValueError(f"a process's runs are settled as stopped or failed, not {status!r}")
        mine = (CrawlRun.pid == pid) & (CrawlRun.started_at >= since)
        ended_by_it = ("stopped", "failed")
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(CrawlRun).where(mine & (CrawlRun.status == "running"))
                .values(status=status, finished_at=_now(), message=reason)
            ).rowcount
            if not stopped_from_outside:
                return int(changed)
            for run_id, own_status, message in conn.execute(
                select(CrawlRun.id, CrawlRun.status, CrawlRun.message)
                .where(mine & CrawlRun.status.in_(ended_by_it)
                       & CrawlRun.message.is_distinct_from(reason))
            ).all():
                if message and message.startswith(reason):
                    continue
                new_status = "failed" if status == "failed" else own_status
                note = f"{reason}; {message}" if message else reason
                conn.execute(update(CrawlRun).where(CrawlRun.id == run_id)
                             .values(status=new_status, message=note))
                changed += 1
        return int(changed)

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` under which the archive already holds an article read from its page
        (one kept from its feed item alone is asked for again, in case the page now answers)."""
        wanted = list(dict.fromkeys(urls))
        known: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                known.update(conn.scalars(
                    select(ArticleUrl.url).join(ArticleRow, ArticleRow.id == ArticleUrl.article_id)
                    .where(ArticleUrl.url.in_(chunk), ArticleRow.extractor != FEED)
                ))
        return known

    def store_article(
        self, item: AnalysedArticle, run_id: int | None = None,
        policy: NearDuplicatePolicy | None = None,
    ) -> StoreResult:
        """Write one article in its own short transaction, so a killed crawl loses at most it."""
        return self.store_articles([item], run_id, policy)[0]

    def store_articles(
        self, items: list[AnalysedArticle], run_id: int | None = None,
        policy: NearDuplicatePolicy | None = None,
    ) -> list[StoreResult]:
        """Write a small batch in one short transaction (a killed crawl loses at most it).

        Each article has its own savepoint: one that cannot be written is reported as
        `failed` and the rest of the batch is kept.
        """
        results = []
        with self.engine.begin() as conn:
            if policy is not None and items:
                # The window is counted back from the newest article written, not the clock.
                newest = max(i.article.fetched_at for i in items)
                expire_bands(conn, newest - policy.window)
            for item in items:
                try:
                    with conn.begin_nested():
                        results.append(articles.store(conn, item, policy, run_id))
                except IntegrityError as exc:
                    log.warning("%s: could not store %s: %s", item.article.outlet,
                                item.article.url, exc.orig)
                    results.append(StoreResult(articles.FAILED, 0))
        return results


def _zero_counts() -> dict[str, object]:
    counts: dict[str, object] = {k: 0 for k, v in vars(RunTotals("running")).items()
                                 if isinstance(v, int)}
    counts["rejected_reasons"] = {}
    return counts


def _now() -> datetime:
    return datetime.now(UTC)
