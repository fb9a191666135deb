"""Reasons an item leaves the pipeline, one exception class per meaning."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class RejectedPage(DropItem):
    """A fetched page that is not a usable article; `reason` is counted in the run record."""

    def __init__(self, reason: str, url: str, detail: str = "") -> None:
        super().__init__(f"rejected, {reason}: {url} {detail}".strip(), log_level="INFO")
        self.reason = reason

