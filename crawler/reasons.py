"""Rejection reasons: the one-line form of an exception, and which reasons name one. Pure."""

from __future__ import annotations

import logging


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
