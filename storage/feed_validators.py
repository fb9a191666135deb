"""Validators of feeds (ETag, Last-Modified), so an unchanged feed is not downloaded again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select

from storage.engine import READ_ONLY
from storage.models import FeedValidator


def feed_validators(engine: Engine, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """(etag, last_modified) of each of `urls` that has been fetched before."""
    wanted = list(urls)
    if not wanted:
        return {}
    stmt = select(FeedValidator.url, FeedValidator.etag, FeedValidator.last_modified).where(
        FeedValidator.url.in_(wanted)
    )
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        return {url: (etag, modified) for url, etag, modified in conn.execute(stmt)}


def save_feed_validators(engine: Engine, url: str, etag: str | None, last_modified: str | None) -> None:
    """Remember a feed's validators (or forget them when the server sent none)."""
    with engine.begin() as conn:
        conn.execute(delete(FeedValidator).where(FeedValidator.url == url))
        if etag or last_modified:
            conn.execute(insert(FeedValidator).values(
                url=url, etag=etag, last_modified=last_modified, updated_at=datetime.now(UTC)
            ))
