"""Logging for the entry points: belmon's own messages at the chosen level, libraries' quieter."""

from __future__ import annotations

import logging
import sys

# Libraries whose INFO lines are noise to a belmon user; they still show warnings.
_QUIET = ("scrapy", "twisted", "py.warnings", "alembic", "filelock", "trafilatura", "htmldate", "pymorphy3",
          "charset_normalizer", "apscheduler.executors")


class _QuietLibraries(logging.Filter):
    def __init__(self, level: int) -> None:
        super().__init__()
        self.floor = max(logging.WARNING, level)

    def filter(self, record: logging.LogRecord) -> bool:
        quiet = any(record.name == n or record.name.startswith(n + ".") for n in _QUIET)
        return record.levelno >= self.floor if quiet else True


def configure_logging(level_name: str) -> None:
    """Log to stderr; Scrapy re-raises its own loggers' levels, so filter at the handler."""
    level = logging.getLevelName(level_name.upper())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    handler.addFilter(_QuietLibraries(level))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
