"""Rescoring the stored archive in place after the theme definitions change."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import Engine, bindparam, delete, insert, select, update

from storage.engine import READ_ONLY
from storage.models import ArticleReference, ArticleRow, ArticleTheme, ReferenceText
from storage.records import Rescored, StoredText


def stored_texts(engine: Engine, batch: int = 1000) -> Iterator[list[StoredText]]:
    """Every article's text, in id order, a batch at a time (keyset paging, constant memory)."""
    last = 0
    stmt = (select(ArticleRow.id, ArticleRow.title, ArticleRow.lead, ArticleRow.body,
                   ArticleRow.language)
            .where(ArticleRow.id > bindparam("last")).order_by(ArticleRow.id).limit(batch))
    while True:
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            rows = [StoredText(*row) for row in conn.execute(stmt, {"last": last})]
        if not rows:
            return
        yield rows
        last = rows[-1].id


def count_articles(engine: Engine) -> int:
    from sqlalchemy import func

    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        return int(conn.scalar(select(func.count()).select_from(ArticleRow)) or 0)


def save_rescored(engine: Engine, results: list[Rescored]) -> None:
    """Replace the theme scores, relevance and reference similarities of a batch, in one transaction."""
    ids = [r.id for r in results]
    with engine.begin() as conn:
        names = dict(conn.execute(select(ReferenceText.name, ReferenceText.id)).all())
        conn.execute(delete(ArticleTheme).where(ArticleTheme.article_id.in_(ids)))
        conn.execute(delete(ArticleReference).where(ArticleReference.article_id.in_(ids)))
        conn.execute(
            update(ArticleRow).where(ArticleRow.id == bindparam("b_id"))
            .values(relevant=bindparam("b_relevant"), relevance=bindparam("b_relevance")),
            [{"b_id": r.id, "b_relevant": r.relevant, "b_relevance": r.relevance} for r in results],
        )
        themes = [{"article_id": r.id, "theme_id": t.theme_id, "score": t.score,
                   "evidence": list(t.evidence)} for r in results for t in r.themes]
        if themes:
            conn.execute(insert(ArticleTheme), themes)
        refs = [{"article_id": r.id, "reference_id": names[n], "similarity": s}
                for r in results for n, s in r.references if n in names]
        if refs:
            conn.execute(insert(ArticleReference), refs)


def rematch_archive(
    engine: Engine,
    rescore_batches: Callable[[Iterator[list[StoredText]]], Iterator[list[Rescored]]],
    progress: Callable[[int, int], None] | None = None, batch: int = 500,
) -> int:
    """Rescore every stored article, a batch per transaction; returns how many were rescored.

    `rescore_batches` turns batches of stored texts into batches of verdicts (on several
    processes, say); each batch is written as soon as it comes back.
    """
    total, done = count_articles(engine), 0
    for results in rescore_batches(stored_texts(engine, batch)):
        save_rescored(engine, results)
        done += len(results)
        if progress is not None:
            progress(done, total)
    return done
