"""Near-duplicate lookup in the archive: LSH band hashes find candidates, signatures confirm them.

Band rows are kept for the articles stored in the last NEAR_DUPLICATE_WINDOW only. Copies of
a story across outlets appear within days; the band index, whose keys are random hashes,
would otherwise grow with the whole archive, and every article's 42 inserts land on pages
further apart as it grows. An older article keeps its signature, its story and its URL and
text identity (a copy of its exact text is still recognised); it is no longer a candidate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, func, insert, select

from storage.models import ArticleBand, ArticleFingerprint, ArticleRow

Similarity = Callable[[bytes, bytes], float]
NEAR_DUPLICATE_WINDOW = timedelta(days=30)  # articles stored this recently are candidates
EXPIRE_PER_BATCH = 100  # articles whose bands one write may delete: 4 x a batch of 25

_SHARED = func.count().label("shared")
_CANDIDATES = (
    select(ArticleBand.article_id, _SHARED)
    .where(ArticleBand.hash.in_(bindparam("bands", expanding=True)))
    .group_by(ArticleBand.article_id)
    .order_by(_SHARED.desc())
    .limit(bindparam("limit"))
)
_OLDEST_BANDED = (
    select(ArticleBand.article_id).distinct().order_by(ArticleBand.article_id)
    .limit(bindparam("most"))
)
_FIRST_BANDED_FETCHED = select(ArticleRow.fetched_at).where(
    ArticleRow.id == select(func.min(ArticleBand.article_id)).scalar_subquery())
_STORED_BEFORE = select(ArticleRow.id).where(
    ArticleRow.id.in_(bindparam("ids", expanding=True)), ArticleRow.fetched_at < bindparam("before"))
_SIGNATURES = (
    select(ArticleRow.story_id, ArticleFingerprint.signature)
    .join(ArticleRow, ArticleRow.id == ArticleFingerprint.article_id)
    .where(ArticleFingerprint.article_id.in_(bindparam("ids", expanding=True)))
)


@dataclass(frozen=True)
class NearDuplicatePolicy:
    """How a new text is compared with stored ones."""

    similarity: Similarity
    threshold: float = 0.5
    max_candidates: int = 20
    window: timedelta = NEAR_DUPLICATE_WINDOW

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold {self.threshold} must be in (0, 1]")


def find_story(
    conn: Connection, signature: bytes, bands: tuple[int, ...], policy: NearDuplicatePolicy,
    exclude_article: int | None = None,
) -> tuple[int, float] | None:
    """The story of the most similar stored article at or above the threshold, with its similarity."""
    if not bands:
        return None
    candidates = conn.execute(
        _CANDIDATES, {"bands": list(bands), "limit": policy.max_candidates}
    ).all()
    ids = [c.article_id for c in candidates if c.article_id != exclude_article]
    if not ids:
        return None
    rows = conn.execute(_SIGNATURES, {"ids": ids}).all()
    best: tuple[int, float] | None = None
    for row in rows:
        score = policy.similarity(signature, row.signature)
        if score >= policy.threshold and row.story_id is not None and (
            best is None or score > best[1]
        ):
            best = (row.story_id, score)
    return best


def save_fingerprint(
    conn: Connection, article_id: int, signature: bytes, bands: tuple[int, ...],
    replacing: bool = True,
) -> None:
    """Store (or with `replacing`, replace) an article's signature and band hashes."""
    if replacing:
        conn.execute(delete(ArticleBand).where(ArticleBand.article_id == article_id))
        conn.execute(delete(ArticleFingerprint).where(ArticleFingerprint.article_id == article_id))
    conn.execute(insert(ArticleFingerprint), {"article_id": article_id, "signature": signature})
    unique = sorted(set(bands))
    if unique:
        conn.execute(insert(ArticleBand), [{"hash": h, "article_id": article_id} for h in unique])


def expire_bands(conn: Connection, before: datetime, most: int = EXPIRE_PER_BATCH) -> int:
    """Delete the band rows of up to `most` of the oldest banded articles fetched before
    `before`; returns how many articles left the near-duplicate window.

    Called with every write, it keeps pace with the articles coming in (four times their
    rate) and catches up on an archive that had no window gradually. Ids grow with time, so
    the oldest banded ids are the ones to look at; an old article revised recently (its
    fetched_at renewed) stays a candidate until it ages again.
    """
    first = conn.execute(_FIRST_BANDED_FETCHED).first()
    if first is None or first.fetched_at >= before:  # the usual case: nothing has aged out
        return 0
    oldest = list(conn.execute(_OLDEST_BANDED, {"most": most}).scalars())
    expired = list(conn.execute(_STORED_BEFORE, {"ids": oldest, "before": before}).scalars())
    if expired:
        conn.execute(delete(ArticleBand).where(ArticleBand.article_id.in_(expired)))
    return len(expired)
