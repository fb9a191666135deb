"""Reasons an item leaves the pipeline, one exception class per meaning."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class RejectedPage(DropItem):
    """A fetched page that is not a usable article; `reason` is counted in the run record.

    The stage that raises it has already logged the one line a user needs; Scrapy's own
    "Dropped" message (which would print the whole item) stays at DEBUG.
    """

    def __init__(self, reason: str, url: str, detail: str = "") -> None:
        super().__init__(f"rejected, {reason}: {url} {detail}".strip(), log_level="DEBUG")
        self.reason = reason
