"""Every user setting in one place, as data: name, environment variable, default, help."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Setting:
    name: str  # the command-line flag, without dashes ("on/--off" for a switch)
    env: str
    default: str | None
    help: str
    option: str | None = None  # the CrawlOptions field it fills, for crawl and daemon alike
    kind: type = str  # the value's type: str, int, float, bool (a switch) or Path
    minimum: float | None = None
    maximum: float | None = None
    old_env: str | None = None  # a deprecated spelling of `env`, still read

    @property
    def flag(self) -> str:
        return self.name.split("/")[0]


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("belmon")) / "archive.sqlite"


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "BELMON_DB", None,
            "Archive: a file path or an SQLAlchemy URL (default: archive.sqlite in the "
            "user data directory)."),
    Setting("sources", "BELMON_SOURCES", None,
            "A TOML file that overrides or extends the packaged outlet definitions."),
    Setting("log-level", "BELMON_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR."),
    Setting("delay", "BELMON_DELAY", None,
            "Seconds between requests to one host (default: each outlet's politeness delay); "
            "BELMON_DOWNLOAD_DELAY, its old name, is still read but deprecated.",
            option="download_delay", kind=float, minimum=0, old_env="BELMON_DOWNLOAD_DELAY"),
    Setting("max-pages", "BELMON_MAX_PAGES", "5",
            "Listing pages read per edition at most in one crawl.",
            option="max_pages", kind=int, minimum=1),
    Setting("timeout", "BELMON_TIMEOUT", "30", "Seconds before one request is given up.",
            option="timeout", kind=float, minimum=1),
    Setting("user-agent", "BELMON_USER_AGENT", None,
            "User-Agent header (default identifies belmon and its project page).",
            option="user_agent"),
    Setting("obey-robots/--ignore-robots", "BELMON_OBEY_ROBOTS", "true",
            "Obey each outlet's robots.txt (the default).", option="obey_robots", kind=bool),
    Setting("themes", "BELMON_THEMES", None,
            "A TOML file that extends or replaces the packaged theme definitions.",
            option="themes_file", kind=Path),
    Setting("dedup-threshold", "BELMON_DEDUP_THRESHOLD", "0.4",
            "Estimated text similarity (0-1) at which a new article joins a stored story.",
            option="dedup_threshold", kind=float, minimum=0.01, maximum=1.0),
    Setting("workers", "BELMON_WORKERS", None,
            "Processes that read fetched pages (crawl, daemon) or rescore stored ones "
            "(rematch); 0 does the work in the command's own process (default: crawl and daemon "
            "none on two cores or fewer, else one per core beyond two, at most two; rematch "
            "one per core).",
            option="workers", kind=int, minimum=0),
    Setting("time-limit", "BELMON_TIME_LIMIT", "30",
            "belmon sql: seconds a query may run before it is stopped (0: no limit).",
            kind=float, minimum=0),
    Setting("catch-up-pages", "BELMON_CATCH_UP_PAGES", "20",
            "Daemon: listing pages read per edition at most when an outlet has a gap to fill "
            "(no successful run for two intervals).", kind=int, minimum=1),
    Setting("crawl-timeout", "BELMON_CRAWL_TIMEOUT", "3600",
            "Daemon: seconds a crawl may take before it is stopped and recorded as failed.",
            kind=float, minimum=1),
    Setting("max-crawls", "BELMON_MAX_CRAWLS", None,
            "Daemon: crawls running at once at most (default: one per core); an outlet due "
            "while that many run waits for one to finish.", kind=int, minimum=1),
    Setting("outlets-per-crawl", "BELMON_OUTLETS_PER_CRAWL", "10",
            "Daemon: outlets crawled together by one crawl process at most; the outlets that "
            "share an interval are split into that few groups, their slots spread over it.",
            kind=int, minimum=1),
    Setting("stop-timeout", "BELMON_STOP_TIMEOUT", "30",
            "Daemon: seconds a crawl gets to stop after SIGTERM before it is killed.",
            kind=float, minimum=0.1),
)


def setting(name: str) -> Setting:
    return next(s for s in SETTINGS if s.flag == name)


# The settings that make up a crawl's options, in the order --help lists them.
CRAWL_SETTINGS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.option)
