"""Every user setting in one place, as data: name, environment variable, default, help."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Setting:
    name: str  # the command-line flag, without dashes
    env: str
    default: str | None
    help: str


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("belmon")) / "archive.sqlite"


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "BELMON_DB", None,
            "Archive: a file path or an SQLAlchemy URL (default: archive.sqlite in the "
            "user data directory)."),
    Setting("sources", "BELMON_SOURCES", None,
            "A TOML file that overrides or extends the packaged outlet definitions."),
    Setting("log-level", "BELMON_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR."),
    Setting("delay", "BELMON_DOWNLOAD_DELAY", None,
            "Seconds between requests to one host (default: each outlet's politeness delay)."),
    Setting("max-pages", "BELMON_MAX_PAGES", "5",
            "Listing pages read per edition at most in one crawl."),
    Setting("timeout", "BELMON_TIMEOUT", "30", "Seconds before a request is given up."),
    Setting("user-agent", "BELMON_USER_AGENT", None,
            "User-Agent header (default identifies belmon and its project page)."),
    Setting("obey-robots/--ignore-robots", "BELMON_OBEY_ROBOTS", "true",
            "Obey each outlet's robots.txt (the default)."),
    Setting("themes", "BELMON_THEMES", None,
            "A TOML file that extends or replaces the packaged theme definitions."),
    Setting("dedup-threshold", "BELMON_DEDUP_THRESHOLD", "0.4",
            "Estimated text similarity (0-1) at which a new article joins a stored story."),
    Setting("workers", "BELMON_WORKERS", None,
            "Processes that read fetched pages (extract, match, fingerprint); 0 reads them in "
            "the crawling process (default: one per core beyond the first, at most two)."),
    Setting("time-limit", "BELMON_TIME_LIMIT", "30",
            "belmon sql: seconds a query may run before it is stopped (0: no limit)."),
    Setting("catch-up-pages", "BELMON_CATCH_UP_PAGES", "20",
            "Daemon: listing pages read per edition at most when an outlet has a gap to fill "
            "(no successful run for two intervals)."),
    Setting("crawl-timeout", "BELMON_CRAWL_TIMEOUT", "3600",
            "Daemon: seconds a crawl may take before it is stopped and recorded as failed."),
    Setting("stop-timeout", "BELMON_STOP_TIMEOUT", "30",
            "Daemon: seconds a crawl gets to stop after SIGTERM before it is killed."),
)


def setting(name: str) -> Setting:
    return next(s for s in SETTINGS if s.name.split("/")[0] == name)
