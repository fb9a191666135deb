"""The one contract between the spiders and the pipelines: a fetched article page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArticlePage:
    """An article page as fetched, before extraction."""

    source_id: str
    url: str
    html: str
    fetched_at: datetime
    status: int
