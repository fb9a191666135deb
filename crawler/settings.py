"""Scrapy settings for a belmon crawl: politeness on by default, built once from the options."""

from __future__ import annotations

from typing import Any

from crawler.options import CrawlOptions
from crawler.sources import Source

RETRY_BACKOFF_SECONDS = 0.5  # first pause before a retry; doubles per attempt
RETRY_AFTER_MAX_SECONDS = 30.0  # a longer Retry-After is not waited for within one crawl
USER_AGENT = "belmon/0.1 (media monitor of Belarus-China coverage; +https://github.com/belmon/belmon)"


def crawl_settings(sources: list[Source], options: CrawlOptions) -> dict[str, Any]:
    """Settings for one crawler process fetching `sources`."""
    return {
        "BOT_NAME": "belmon",
        "USER_AGENT": options.user_agent or USER_AGENT,
        "ROBOTSTXT_OBEY": options.obey_robots,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "LOG_ENABLED": True,
        "LOG_INSTALL_ROOT_HANDLER": False,
        "REMOTE_CONTROL_ENABLED": False,
        "DOWNLOAD_TIMEOUT": options.timeout,
        "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 2 * 1024 * 1024,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        # Each failure is counted and logged by the spider; Scrapy's own give-up line is noise.
        "RETRY_GIVE_UP_LOG_LEVEL": "WARNING",
        "BELMON_RETRY_BACKOFF": RETRY_BACKOFF_SECONDS,
        "BELMON_RETRY_AFTER_MAX": RETRY_AFTER_MAX_SECONDS,
        "REDIRECT_MAX_TIMES": 5,
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.OutletGuard": 40,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middlewares.BackoffRetry": 550,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "crawler.middlewares.GuardedMetaRefresh": 580,
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
            "crawler.middlewares.GuardedRedirect": 600,
            "crawler.hostgate.HostGate": 950,  # last before the download: refused ones never wait
        },
        "SPIDER_MIDDLEWARES": {"crawler.callbackerrors.CallbackErrors": 950},
        "BELMON_TRUSTED_HOSTS": trusted_hosts(sources),
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        # Items handled side by side per response: an article page yields one, a feed or a
        # listing only requests. Scrapy's 100 starts a hundred tasks for every response.
        "CONCURRENT_ITEMS": 4,
        # The delay between requests to a host is kept by crawler/hostgate.py, one gate per
        # host shared by every outlet's crawler; Scrapy's own slots (one set per crawler) keep
        # only the concurrency, so that their delay cannot bunch requests the gate spaced out.
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_SLOTS": {host: {"delay": 0, "concurrency": limit[1]}
                           for host, limit in host_limits(sources, options.download_delay).items()},
        "BELMON_HOST_LIMITS": host_limits(sources, options.download_delay),
        "ITEM_PIPELINES": {
            "crawler.pipelines.ReadStage": 100,
            "crawler.pipelines.StoreStage": 900,
        },
        "EXTENSIONS": {
            "crawler.recorder.RunRecorder": 0,
            "crawler.extensions.StopOnArchiveError": 10,
        },
        "DEFAULT_DROPITEM_LOG_LEVEL": "INFO",
    }


def host_limits(sources: list[Source], delay: float | None) -> dict[str, list[float]]:
    """Per host, [seconds between requests, requests at once] from the politeness of the
    outlets it serves (`delay` overrides theirs); a host several outlets share keeps the
    strictest: the longest delay and the fewest parallel requests."""
    limits: dict[str, list[float]] = {}
    for source in sources:
        own = [source.politeness.download_delay if delay is None else delay,
               source.politeness.concurrency]
        for host in source.hosts:
            shared = limits.get(host)
            limits[host] = [max(own[0], shared[0]), min(own[1], shared[1])] if shared else own
    return limits


def trusted_hosts(sources: list[Source]) -> list[str]:
    """Base hosts the user pointed a crawl at (a replica, a local mirror): these alone may
    resolve to a loopback or private address. An outlet's own public name never may."""
    return sorted({host for s in sources for host in s.trusted_hosts})
