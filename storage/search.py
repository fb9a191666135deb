"""Ranked full-text search and streaming export over the archive."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select, bindparam, column, exists, func, literal_column, select, table
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.expression import ColumnClause

from storage.engine import READ_ONLY
from storage.fulltext import FTS_TABLE
from storage.models import ArticleRow, ArticleTheme, OutletRow
from storage.sql import QueryError

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # highlight marks no article text contains


@dataclass(frozen=True)
class ArticleFilters:
    """Which articles a search or an export covers."""

    outlet: str | None = None
    theme: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    relevant: bool = False
    limit: int | None = None


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    outlet: str
    published_at: datetime | None
    title: str
    url: str
    snippet: str  # body excerpt with matches between MARK_OPEN and MARK_CLOSE
    rank: float
    relevance: float | None
    body: str


def _filtered(stmt: Select[Any], filters: ArticleFilters) -> Select[Any]:
    if filters.outlet:
        stmt = stmt.where(ArticleRow.outlet == filters.outlet)
    if filters.since:
        stmt = stmt.where(ArticleRow.published_at >= filters.since)
    if filters.until:
        stmt = stmt.where(ArticleRow.published_at < filters.until)
    if filters.relevant:
        stmt = stmt.where(ArticleRow.relevant.is_(True))
    if filters.theme:
        stmt = stmt.where(exists().where(
            (ArticleTheme.article_id == ArticleRow.id) & (ArticleTheme.theme_id == filters.theme)
        ))
    return stmt


def filter_problem(engine: Engine, filters: ArticleFilters, theme_ids: Iterable[str]) -> str | None:
    """Why the filters name something the archive does not know (an outlet id that no crawl
    registered, a theme id that neither the theme definitions nor any stored score has), or
    None. A typo must be an error, not an empty result."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        if filters.outlet:
            outlets = sorted(conn.scalars(select(OutletRow.id)))
            if filters.outlet not in outlets:
                return f"unknown outlet {filters.outlet!r}; known: {', '.join(outlets) or 'none yet'}"
        if filters.theme:
            themes = sorted(set(theme_ids))
            stored = conn.scalar(select(exists().where(ArticleTheme.theme_id == filters.theme)))
            if filters.theme not in themes and not stored:
                return f"unknown theme {filters.theme!r}; known: {', '.join(themes)}"
    return None


# Ranking needs a score for every matching row; a word found in half of a million
# articles would cost a second. The newest RANK_WINDOW matches (ids grow with time) are
# ranked; narrower queries (more words, --since, --outlet) rank all their matches.
RANK_WINDOW = 2000

_FTS = table(FTS_TABLE, column("rowid"))
_FTS_REF: ColumnClause[Any] = literal_column(FTS_TABLE)
_MATCHES = _FTS_REF.op("MATCH")(bindparam("match"))


def search_articles(engine: Engine, match: str, filters: ArticleFilters) -> list[SearchHit]:
    """Articles matching an FTS5 expression, best first (title counts most, then lead, body)."""
    rank = func.bm25(_FTS_REF, 10.0, 4.0, 1.0, 1.0)
    window = (
        _filtered(select(ArticleRow.id, rank.label("rank")).select_from(_FTS)
                  .join(ArticleRow, ArticleRow.id == _FTS.c.rowid).where(_MATCHES), filters)
        .order_by(_FTS.c.rowid.desc()).limit(RANK_WINDOW).subquery("window")
    )
    stmt = (
        select(ArticleRow.id, ArticleRow.outlet, ArticleRow.published_at, ArticleRow.title,
               ArticleRow.url, window.c.rank, ArticleRow.relevance, ArticleRow.body)
        .join(window, window.c.id == ArticleRow.id)
        .order_by(window.c.rank).limit(filters.limit or 20)
    )
    snippets = select(_FTS.c.rowid, func.snippet(_FTS_REF, 2, MARK_OPEN, MARK_CLOSE, "…", 24)
                      ).where(_MATCHES, _FTS.c.rowid.in_(bindparam("ids", expanding=True)))
    try:
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            rows = conn.execute(stmt, {"match": match}).all()
            marked = dict(conn.execute(snippets, {"match": match, "ids": [r.id for r in rows]})
                          .all()) if rows else {}
    except OperationalError as exc:
        raise QueryError(_fts_message(exc.orig)) from None
    return [SearchHit(r.id, r.outlet, r.published_at, r.title, r.url, marked.get(r.id, ""),
                      r.rank, r.relevance, r.body) for r in rows]


def _fts_message(error: BaseException | None) -> str:
    message = str(error)
    if "no such table" in message:
        return "this archive has no full-text index yet; run `belmon init` to upgrade it"
    return f"full-text query not understood ({message}); quote phrases with \"...\""


def export_rows(engine: Engine, filters: ArticleFilters, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every matching article with its themes, read in batches so memory stays flat."""
    columns = [c for c in ArticleRow.__table__.columns if c.name != "stems"]
    stmt = _filtered(select(*columns), filters).order_by(ArticleRow.id)
    if filters.limit:
        stmt = stmt.limit(filters.limit)
    with engine.connect().execution_options(**{READ_ONLY: True}, yield_per=batch) as conn:
        for partition in conn.execute(stmt).mappings().partitions(batch):
            themes = _themes_of(conn, [row["id"] for row in partition])
            for row in partition:
                yield _export_dict(dict(row), themes.get(row["id"], []))


def _themes_of(conn: Any, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    rows = conn.execute(select(ArticleTheme.article_id, ArticleTheme.theme_id, ArticleTheme.score)
                        .where(ArticleTheme.article_id.in_(ids))
                        .order_by(ArticleTheme.article_id, ArticleTheme.score.desc()))
    for article_id, theme_id, score in rows:
        found.setdefault(article_id, []).append({"id": theme_id, "score": round(score, 4)})
    return found


def _export_dict(row: dict[str, Any], themes: list[dict[str, Any]]) -> dict[str, Any]:
    row["themes"] = themes
    return row


# The keys of every exported row, in order: the articles columns (but the stems), then themes.
EXPORT_COLUMNS: tuple[str, ...] = (
    *(c.name for c in ArticleRow.__table__.columns if c.name != "stems"), "themes")

