"""Near-duplicate lookup in the archive: LSH band hashes find candidates, signatures confirm them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, func, insert, select

from storage.models import ArticleBand, ArticleFingerprint, ArticleRow

Similarity = Callable[[bytes, bytes], float]

_SHARED = func.count().label("shared")
_CANDIDATES = (
    select(ArticleBand.article_id, _SHARED)
    .where(ArticleBand.hash.in_(bindparam("bands", expanding=True)))
    .group_by(ArticleBand.article_id)
    .order_by(_SHARED.desc())
    .limit(bindparam("limit"))
)
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
