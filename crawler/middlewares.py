"""Downloader components: keep each crawl on its outlet's own hosts, and retry politely."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from twisted.internet import task

from crawler.fetcherrors import Refused
from crawler.hostguard import Origins, ip_literal, resolved_refusal

log = logging.getLogger(__name__)


def _origins(crawler: Crawler) -> Origins:
    spider: Any = crawler.spider
    origins = getattr(spider, "_belmon_origins", None)
    if origins is None:
        origins = spider._belmon_origins = Origins.of(spider.source)
    assert isinstance(origins, Origins)
    return origins


class OutletGuard:
    """Refuses every request off the outlet's own hosts and ports, or to a private address
    (by its spelling, or by what its host name resolves to), before anything is sent."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.trusted = frozenset(h.lower() for h in crawler.settings.getlist("BELMON_TRUSTED_HOSTS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutletGuard:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        reason = _origins(self.crawler).refusal(request.url)
        if reason is None:
            reason = await self._resolved_refusal(urlparse_cached(request).hostname or "")
        if reason is not None:
            raise Refused(reason, request.url)

    async def _resolved_refusal(self, host: str) -> str | None:
        # The answer is cached by Scrapy's resolver, so the connection goes where was checked.
        if not host or ip_literal(host) is not None or host.lower() in self.trusted:
            return None
        from twisted.internet import reactor

        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[arg-type]
        except Exception:  # not resolvable: the download fails and says so
            return None
        return resolved_refusal(host, str(address), self.trusted)


class _RedirectGuard:
    """Checks where a redirect leads before it is followed (Scrapy's offsite filter would
    drop it silently at scheduling, and the run record would never know)."""

    crawler: Crawler

    def _guarded(
        self, request: Request, follow: Callable[[], Request | Response]
    ) -> Request | Response:
        try:
            result = follow()
        except Refused:
            raise
        except IgnoreRequest as exc:  # Scrapy's "max redirections reached"
            raise Refused("too-many-redirects", request.url) from exc
        if not isinstance(result, Request):
            return result
        if result.url in result.meta.get("redirect_urls", ()):
            raise Refused("redirect-loop", result.url)
        reason = _origins(self.crawler).refusal(result.url)
        if reason is not None:
            raise Refused(reason, result.url)
        return result


class GuardedRedirect(_RedirectGuard, RedirectMiddleware):
    """Scrapy's 3xx handling, refusing loops and redirects off the outlet."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        return self._guarded(request, lambda: super(GuardedRedirect, self).process_response(
            request, response))


class GuardedMetaRefresh(_RedirectGuard, MetaRefreshMiddleware):
    """Scrapy's <meta http-equiv="refresh"> handling, with the same refusals."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        return self._guarded(request, lambda: super(GuardedMetaRefresh, self).process_response(
            request, response))


class BackoffRetry:
    """Scrapy's retries (RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS), after a pause: the
    server's Retry-After (429, 503) when it asks for at most BELMON_RETRY_AFTER_MAX seconds,
    else BELMON_RETRY_BACKOFF doubling per attempt.

    A server asking for a longer pause is not retried in this crawl: the failure is counted
    and the next scheduled crawl tries again.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions = tuple(
            load_object(e) if isinstance(e, str) else e for e in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff = settings.getfloat("BELMON_RETRY_BACKOFF", 0.5)
        self.max_wait = settings.getfloat("BELMON_RETRY_AFTER_MAX", 30.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetry:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"), datetime.now(UTC))
        if wait is not None and wait > self.max_wait:
            log.warning("%s asks to retry after %.0f s, more than the %.0f s a crawl waits",
                        request.url, wait, self.max_wait)
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await _sleep(self._pause(request) if wait is None else wait)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await _sleep(self._pause(request))
        return retry

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(request, spider=self.crawler.spider, reason=reason)

    def _pause(self, request: Request) -> float:
        return float(self.backoff * 2 ** request.meta.get("retry_times", 0))


def retry_after_seconds(value: bytes | str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date); None when
    absent or unreadable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor

    if seconds > 0:
        await maybe_deferred_to_future(task.deferLater(reactor, seconds))
