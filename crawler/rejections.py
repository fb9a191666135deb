"""Reasons an item leaves the pipeline, one exception class per meaning."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem


class RejectedPage(DropItem):
    """A fetched page that is not a usable article; `reason` is counted in the run record.

    The stage that raises it has already logged the one line a user needs; Scrapy's own
    "Dropped" message (which would print the whole item) stays at DEBUG.
    """

    def __init__(self, reason: str, url: str, detail: str = "") -> None:
        super().__init__(f"rejected, {reason}: {url} {detail}".strip(), log_level="DEBUG")
        self.reason = reason


def is_error(reason: str) -> bool:
    """Whether a rejection reason names an unexpected exception (`read-error: ImportError`)."""
    return "-error" in reason.split(":")[0]


def log_level(reason: str) -> int:
    """A page lost to a bug or a broken install is a warning; an ordinary rejection is not."""
    return logging.WARNING if is_error(reason) else logging.INFO


def one_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's message on one short line: never a traceback, never a page."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
