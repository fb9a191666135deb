"""Writing one analysed article: URL identity, exact copies, revisions, stories, themes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, bindparam, delete, insert, select, update

from storage.dialect import insert_ignoring_duplicates
from storage.models import (
    ArticleReference,
    ArticleRow,
    ArticleTheme,
    ArticleUrl,
    ArticleVersion,
    ReferenceText,
    StoryRow,
)
from storage.records import AnalysedArticle, Article
from storage.stories import NearDuplicatePolicy, find_story, save_fingerprint

NEW, KNOWN_URL, SAME_TEXT, REVISED, FAILED = "new", "known-url", "same-text", "revised", "failed"
FEED = "feed"  # the extractor of an article kept from its feed item (its page refused us)


@dataclass(frozen=True)
class StoreResult:
    """What happened to one article: its outcome, row, story, and whether it joined a story."""

    outcome: str
    article_id: int
    story_id: int | None = None
    joined_story: bool = False


# Built once: statements are rebuilt per article otherwise, which costs more than running them.
_BY_URL = select(
    ArticleRow.id, ArticleRow.text_hash, ArticleRow.title, ArticleRow.story_id,
    ArticleRow.extractor,
).where(ArticleRow.url == bindparam("url"))
_BY_HASH = select(ArticleRow.id, ArticleRow.story_id).where(
    ArticleRow.text_hash == bindparam("text_hash")
).limit(1)
_ORIGINAL_PUBLISHED = select(ArticleRow.published_at).join(
    StoryRow, StoryRow.original_article_id == ArticleRow.id
).where(StoryRow.id == bindparam("story_id"))


def store(
    conn: Connection, item: AnalysedArticle, policy: NearDuplicatePolicy | None, run_id: int | None
) -> StoreResult:
    """Write `item` inside the caller's transaction."""
    article = item.article
    existing = conn.execute(_BY_URL, {"url": article.url}).first()
    if existing is not None:
        _add_urls(conn, item, existing.id)
        same = existing.text_hash == article.text_hash and existing.title == article.title
        # A feed item's summary never replaces a text read from the page itself.
        if same or (article.extractor == FEED and existing.extractor != FEED):
            return StoreResult(KNOWN_URL, existing.id, existing.story_id)
        _revise(conn, existing.id, item)
        return StoreResult(REVISED, existing.id, existing.story_id)
    same = conn.execute(_BY_HASH, {"text_hash": article.text_hash}).first()
    if same is not None:
        _add_urls(conn, item, same.id, canonical_kind="same-text")
        return StoreResult(SAME_TEXT, same.id, same.story_id)
    return _insert_new(conn, item, policy, run_id)


def _insert_new(
    conn: Connection, item: AnalysedArticle, policy: NearDuplicatePolicy | None, run_id: int | None
) -> StoreResult:
    article = item.article
    found = None
    if policy is not None and item.signature is not None:
        found = find_story(conn, item.signature, item.bands, policy)
    story_id = found[0] if found else _inserted_id(
        conn.execute(insert(StoryRow), {"created_at": _now()})
    )
    values = {**article_values(article), **_analysis_values(item), "crawl_run_id": run_id,
              "story_id": story_id}
    article_id = _inserted_id(conn.execute(insert(ArticleRow), values))
    if found is None:
        _set_original(conn, story_id, article_id)
    else:
        _maybe_new_original(conn, story_id, article_id, article.published_at)
    _add_urls(conn, item, article_id)
    _write_analysis(conn, article_id, item, replacing=False)
    return StoreResult(NEW, article_id, story_id, joined_story=found is not None)


def _set_original(conn: Connection, story_id: int, article_id: int) -> None:
    conn.execute(update(StoryRow).where(StoryRow.id == story_id)
                 .values(original_article_id=article_id))


def _revise(conn: Connection, article_id: int, item: AnalysedArticle) -> None:
    """Keep the earlier text in article_versions and put the new one in the article's row."""
    old = conn.execute(select(ArticleRow).where(ArticleRow.id == article_id)).mappings().one()
    conn.execute(insert(ArticleVersion).values(
        article_id=article_id, title=old["title"], lead=old["lead"], body=old["body"],
        text_hash=old["text_hash"], published_at=old["published_at"],
        fetched_at=old["fetched_at"], replaced_at=_now(),
    ))
    values = {k: v for k, v in article_values(item.article).items()
              if k not in ("url", "outlet", "outlet_article_id", "fetched_url")}
    conn.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(
        **values, **_analysis_values(item), updated_at=_now()
    ))
    _write_analysis(conn, article_id, item)


def _maybe_new_original(
    conn: Connection, story_id: int, article_id: int, published: datetime | None
) -> None:
    """The story's original is its earliest publication, whatever order they were crawled in."""
    if published is None:
        return
    original = conn.execute(_ORIGINAL_PUBLISHED, {"story_id": story_id}).scalar()
    if original is None or published < original:
        _set_original(conn, story_id, article_id)


def _add_urls(
    conn: Connection, item: AnalysedArticle, article_id: int, canonical_kind: str = "canonical"
) -> None:
    """Record the canonical URL, the URL fetched and every link seen; known URLs stay as they are."""
    article = item.article
    kinds = {article.url: canonical_kind, article.fetched_url: "fetched"}
    for url in item.seen_urls:
        kinds.setdefault(url, "variant")
    now = _now()
    rows = [{"url": url, "article_id": article_id, "outlet": article.outlet, "kind": kind,
             "first_seen_at": now} for url, kind in kinds.items()]
    conn.execute(insert_ignoring_duplicates(conn, ArticleUrl), rows)


def _write_analysis(
    conn: Connection, article_id: int, item: AnalysedArticle, replacing: bool = True
) -> None:
    if item.signature is not None:
        save_fingerprint(conn, article_id, item.signature, item.bands, replacing)
    write_themes(conn, article_id, item, replacing)


def write_themes(
    conn: Connection, article_id: int, item: AnalysedArticle, replacing: bool = True
) -> None:
    """Write (or with `replacing`, replace) an article's theme scores and reference similarities."""
    if replacing:
        conn.execute(delete(ArticleTheme).where(ArticleTheme.article_id == article_id))
        conn.execute(delete(ArticleReference).where(ArticleReference.article_id == article_id))
    if item.themes:
        conn.execute(insert(ArticleTheme), [
            {"article_id": article_id, "theme_id": t.theme_id, "score": t.score,
             "evidence": list(t.evidence)} for t in item.themes
        ])
    if item.references:
        ids = dict(conn.execute(select(ReferenceText.name, ReferenceText.id)).all())
        rows = [{"article_id": article_id, "reference_id": ids[name], "similarity": sim}
                for name, sim in item.references if name in ids]
        if rows:
            conn.execute(insert(ArticleReference), rows)


def _analysis_values(item: AnalysedArticle) -> dict[str, Any]:
    return {"relevant": item.relevant, "relevance": item.relevance, "stems": item.stems}


def article_values(article: Article) -> dict[str, Any]:
    """The articles-row columns of an extracted article."""
    return {
        "outlet": article.outlet,
        "url": article.url,
        "outlet_article_id": article.outlet_article_id,
        "edition": article.edition,
        "language": article.language,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "author": article.author,
        "published_at": article.published_at,
        "fetched_at": article.fetched_at,
        "image_url": article.image_url,
        "text_hash": article.text_hash,
        "word_count": sum(len(p.split()) for p in ((article.lead or ""), *article.paragraphs)),
        "extractor": article.extractor,
        "field_sources": dict(article.field_sources),
        "fetched_url": article.fetched_url,
    }


def _inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _now() -> datetime:
    return datetime.now(UTC)
