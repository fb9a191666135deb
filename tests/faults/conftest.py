"""The hostile crawl: one `belmon crawl` of a replica where most pages are broken in one way
each (see CASES); the tests in this folder read what it did."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from replica.corpus import ReplicaArticle
from replica.faults import FaultHit
from replica.server import Replica
from tests.faults.crawling import Finished, OpenWatch, crawl

SECRET = "BELMON-XXE-SECRET-5e1f"
COOKIES = ("BELMON-COOKIE-SECRET-1", "BELMON-COOKIE-SECRET-2")
# The hand-built outlets carry the broken pages (the others are built alike by one renderer).
HOSTILE_OUTLETS = ("charter97", "pozirk")
FEEDS_OVERRIDE = """\
[charter97.editions.ru]
feeds = ["/ru/rss/all/", "/ru/rss/all/?copy=1", "/ru/rss/all/?copy=2"]
"""


@dataclass(frozen=True)
class Case:
    """One broken page: where (an outlet's n-th newest article, or a path), the fault, and
    what must come of it: "stored", "rejected <reason>" or "fetch-error <reason>"."""

    id: str
    outlet: str
    target: int | str
    mode: str
    expect: str
    attempts: int = 1  # requests the crawl makes for the page
    params: dict[str, Any] = field(default_factory=dict)
    times: int | None = None

    @property
    def outcome(self) -> str:
        return self.expect.split()[0]

    @property
    def reason(self) -> str:
        return self.expect.split()[1]


CASES = [
    Case("http-500", "pozirk", 0, "status", "fetch-error http-500", 3, {"status": 500}),
    Case("http-503-retry-after", "pozirk", 1, "status", "fetch-error http-503", 3,
         {"status": 503, "retry_after": 1}),
    Case("http-429-retry-after", "pozirk", 2, "status", "fetch-error http-429", 3,
         {"status": 429, "retry_after": 1}),
    Case("http-503-retry-after-too-long", "pozirk", 3, "status", "fetch-error http-503", 1,
         {"status": 503, "retry_after": 3600}),
    Case("http-503-once", "pozirk", 4, "status", "stored", 2, {"status": 503, "retry_after": 1},
         times=1),
    Case("http-404-listed", "pozirk", 5, "status", "fetch-error http-404", 1, {"status": 404}),
    Case("reset-mid-body", "pozirk", 6, "reset", "fetch-error connection-lost", 3),
    Case("reset-once", "pozirk", 7, "reset", "stored", 2, times=1),
    Case("slow-drip", "pozirk", 8, "drip", "fetch-error timeout", 3, {"interval": 0.2}),
    Case("redirect-loop", "pozirk", 9, "redirect_loop", "fetch-error redirect-loop", 1),
    Case("redirect-endless-chain", "pozirk", 10, "redirect_loop",
         "fetch-error too-many-redirects", 6, {"vary": True}),
    Case("redirect-other-domain", "pozirk", 11, "redirect", "fetch-error offsite", 1,
         {"location": "http://belmon-offsite.example/ru/news/1"}),
    Case("redirect-other-port", "pozirk", 12, "redirect", "fetch-error offsite", 1,
         {"location": "{other}{path}"}),
    Case("redirect-metadata-address", "pozirk", 13, "redirect", "fetch-error private-address", 1,
         {"location": "http://169.254.169.254/latest/meta-data/"}),
    Case("redirect-loopback-spelling", "pozirk", 14, "redirect", "fetch-error private-address", 1,
         {"location": "http://127.1:{port}{path}/"}),
    Case("redirect-localhost", "pozirk", 15, "redirect", "fetch-error private-address", 1,
         {"location": "http://localhost:{port}{path}/"}),
    Case("redirect-same-site", "pozirk", 16, "redirect", "stored", 1, {"location": "{path}/"}),
    Case("page-50mb-declared", "pozirk", 17, "huge", "fetch-error too-large", 1),
    Case("page-50mb-streamed", "pozirk", 18, "huge", "fetch-error too-large", 1,
         {"declare_length": False}),
    Case("gzip-bomb", "pozirk", 19, "gzip_bomb", "fetch-error too-large", 1),
    Case("pdf-instead-of-page", "pozirk", 20, "binary", "rejected not-html", 1, {"kind": "pdf"}),
    Case("image-labelled-html", "pozirk", 21, "binary", "rejected not-html", 1,
         {"kind": "png", "content_type": "text/html; charset=utf-8"}),
    Case("empty-body", "pozirk", 22, "empty", "rejected empty-page", 1),
    Case("cp1251-declared-utf8", "charter97", 0, "charset", "stored", 1,
         {"encoding": "windows-1251", "declared": "utf-8"}),
    Case("utf8-declared-cp1251", "charter97", 1, "charset", "stored", 1,
         {"encoding": "utf-8", "declared": "windows-1251"}),
    Case("no-charset-cp1251", "charter97", 2, "charset", "stored", 1,
         {"encoding": "windows-1251", "declared": None}),
    Case("malformed-html", "charter97", 3, "malformed", "stored", 1),
    Case("no-date", "charter97", 4, "no_date", "stored", 1),
    Case("future-date", "charter97", 5, "future_date", "rejected future-date", 1, {"years": 5}),
    Case("nested-10000", "charter97", 6, "nested", "rejected too-deep", 1, {"depth": 10_000}),
    Case("redirect-private-network", "charter97", 7, "redirect", "fetch-error private-address", 1,
         {"location": "http://10.0.0.1/ru/news/1"}),
    Case("feed-malformed", "charter97", "/be/rss/all/", "feed_malformed",
         "rejected feed-malformed", 1),
    Case("feed-external-entity-file", "charter97", "/ru/rss/all/", "feed_xxe",
         "rejected feed-entities", 1, {"target": "file://{secret}"}),
    Case("feed-external-entity-url", "charter97", "/ru/rss/all/?copy=1", "feed_xxe",
         "rejected feed-entities", 1, {"target": "{self}/__xxe__/secret"}),
    Case("feed-billion-laughs", "charter97", "/ru/rss/all/?copy=2", "feed_laughs",
         "rejected feed-entities", 1, {"levels": 9}),
]
LOST = [c for c in CASES if c.outcome != "stored" and isinstance(c.target, int)]


@dataclass
class HostileCrawl:
    """What one crawl of the broken replica did, captured before the replica stopped."""

    db: Path
    result: Finished
    articles: dict[str, list[ReplicaArticle]]  # outlet -> articles, newest first
    base_urls: dict[str, str]
    request_log: list[tuple[str, str]]
    timed_log: list[tuple[float, str, str]]
    fault_hits: list[FaultHit]
    cookie_log: list[tuple[str, str, str]]
    secret: Path
    secret_opened: int

    def article(self, case: Case) -> ReplicaArticle:
        assert isinstance(case.target, int)
        return self.articles[case.outlet][case.target]

    def path(self, case: Case) -> str:
        return case.target if isinstance(case.target, str) else self.article(case).path

    def hits(self, case: Case) -> list[FaultHit]:
        path = self.path(case)
        return [h for h in self.fault_hits if h.outlet == case.outlet
                and (h.path == path or h.path.startswith(path + "?hop="))]

    def requests(self, case: Case) -> list[str]:
        path = self.path(case)
        return [p for o, p in self.request_log if o == case.outlet
                and (p == path or p.startswith(path + "?hop="))]

    def request_times(self, case: Case) -> list[float]:
        path = self.path(case)
        return [at for at, o, p in self.timed_log if o == case.outlet and p == path]


def expected_counts(outlet: str, outcome: str) -> Counter[str]:
    return Counter(
        c.reason if outcome == "rejected" else f"{'feed' if isinstance(c.target, str) else 'article'} "
        f"{c.reason}"
        for c in CASES if c.outlet == outlet and c.outcome == outcome
    )


def _params(case: Case, replica: Replica, path: str, secret: Path) -> dict[str, Any]:
    other = next(u for o, u in replica.base_urls.items() if o != case.outlet)
    own = replica.base_urls[case.outlet]
    values = {"other": other, "self": own, "port": own.rsplit(":", 1)[1], "path": path,
              "secret": secret}
    return {k: v.format(**values) if isinstance(v, str) else v for k, v in case.params.items()}


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    work = tmp_path_factory.mktemp("hostile")
    secret = work / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    sources = work / "sources.toml"
    sources.write_text(FEEDS_OVERRIDE, encoding="utf-8")
    db = work / "archive.sqlite"
    with Replica(port=0) as replica:
        articles = {o: replica.articles(o) for o in HOSTILE_OUTLETS}
        for case in CASES:
            path = case.target if isinstance(case.target, str) else articles[case.outlet][case.target].path
            replica.set_fault(path, case.mode, outlet=case.outlet, times=case.times,
                              **_params(case, replica, path, secret))
        replica.set_fault("/ru/news/", "set_cookie", outlet="pozirk", name="sid", value=COOKIES[0])
        replica.set_fault("/robots.txt", "set_cookie", outlet="charter97", name="sid",
                          value=COOKIES[1])
        watch = OpenWatch([secret])
        try:
            result = crawl(replica, db, "--sources", str(sources), outlets=HOSTILE_OUTLETS)
            opened = watch.events()
        finally:
            watch.close()
        yield HostileCrawl(db, result, articles, dict(replica.base_urls), replica.request_log,
                           replica.timed_request_log, replica.fault_hits, replica.cookie_log, secret, opened)
