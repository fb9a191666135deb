"""One delay and one concurrency limit per host for a whole crawl process.

Scrapy keeps its download slots per crawler, and a crawl runs one crawler per outlet: two
outlets on one host (a mirror serving several outlets, the replica on 127.0.0.1, a shared
CDN) would each get the host's full allowance. This downloader middleware holds every
request at a gate shared by all the process's crawlers, so a host sees one request at a
time every `delay` seconds and at most `concurrency` at once, however many outlets it serves.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

HELD = "belmon_host_gate"  # request.meta key: the host whose gate the request holds a place in
POLL_SECONDS = 0.01  # how often a waiting request looks at its gate again


@dataclass
class Gate:
    """One host's allowance: the time the next request may start, and requests in flight."""

    delay: float
    concurrency: int
    next_start: float = 0.0
    in_flight: int = 0
    holders: dict[int, int] = field(default_factory=dict)  # id(crawler) -> places held

    def ready(self, now: float) -> bool:
        return self.in_flight < self.concurrency and now >= self.next_start


_GATES: dict[str, Gate] = {}  # the process's gates by host; every crawler of the crawl shares them


def gate_for(host: str, delay: float, concurrency: int) -> Gate:
    """The host's gate, made on first use; a host that several outlets share keeps the
    strictest of their limits (the longest delay, the fewest parallel requests)."""
    gate = _GATES.get(host)
    if gate is None:
        gate = _GATES[host] = Gate(delay, max(1, concurrency))
    else:
        gate.delay, gate.concurrency = max(gate.delay, delay), max(1, min(gate.concurrency,
                                                                          concurrency))
    return gate


class HostGate:
    """Downloader middleware: waits for the host's gate before a request is handed on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limits: dict[str, Any] = dict(crawler.settings.getdict("BELMON_HOST_LIMITS"))
        crawler.signals.connect(self.release_all, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostGate:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = (urlparse_cached(request).hostname or "").lower()
        if host not in self.limits or HELD in request.meta:
            return
        delay, concurrency = self.limits[host]
        gate = gate_for(host, float(delay), int(concurrency))
        loop = asyncio.get_running_loop()
        while not gate.ready(loop.time()):
            await asyncio.sleep(max(POLL_SECONDS, min(gate.next_start - loop.time(), 0.25)))
        gate.in_flight += 1
        gate.next_start = loop.time() + gate.delay
        key = id(self.crawler)
        gate.holders[key] = gate.holders.get(key, 0) + 1
        request.meta[HELD] = host

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        host = request.meta.pop(HELD, None)
        gate = _GATES.get(host) if host else None
        key = id(self.crawler)
        if gate is not None and gate.holders.get(key, 0) > 0:
            gate.holders[key] -= 1
            gate.in_flight -= 1

    def release_all(self, spider: Spider) -> None:
        """A closing crawler gives back the places its unanswered requests still hold."""
        key = id(self.crawler)
        for gate in _GATES.values():
            gate.in_flight -= gate.holders.pop(key, 0)
