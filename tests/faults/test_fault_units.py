"""The pieces behind the fault handling, as plain functions: which hosts an outlet may reach,
how long to wait for a retry, why a fetch failed, which feeds and pages are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.extraction.decoding import declared_charset, is_html
from crawler.extraction.extract import Rejected, extract_article
from crawler.extraction.feeds import FEED_ENTITIES, FEED_MALFORMED, read_feed
from crawler.fetcherrors import Refused, fetch_error_reason
from crawler.hostguard import Origins, is_internal, resolved_refusal
from crawler.middlewares import retry_after_seconds
from crawler.settings import trusted_hosts
from crawler.sources import load_sources
from replica import fault_bodies
from replica.server import Replica

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
REPLICA = load_sources()["charter97"].with_base_url("http://127.0.0.1:8097")
PRODUCTION = load_sources()["charter97"]


GUARD_CASES = [
    (REPLICA, "http://127.0.0.1:8097/ru/news/2026/9/1/1/", None),
    (REPLICA, "https://charter97.org/ru/news/", None),  # the outlet's own name
    (REPLICA, "http://m.charter97.org/ru/news/", None),  # an alias
    (REPLICA, "http://127.0.0.1:8098/ru/news/", "offsite"),  # another port, another server
    (REPLICA, "http://127.0.0.1:22/", "offsite"),
    (REPLICA, "http://charter97.org:8080/", "offsite"),
    (REPLICA, "http://evil.example/", "offsite"),
    (REPLICA, "http://charter97.org.evil.example/", "offsite"),
    (REPLICA, "http://127.1:8097/", "private-address"),  # loopback spelled otherwise
    (REPLICA, "http://2130706433:8097/", "private-address"),
    (REPLICA, "http://localhost:8097/", "private-address"),
    (REPLICA, "http://[::1]:8097/", "private-address"),
    (REPLICA, "http://10.0.0.1/", "private-address"),
    (REPLICA, "http://169.254.169.254/latest/meta-data/", "private-address"),
    (REPLICA, "ftp://charter97.org/", "not-http"),
    (REPLICA, "file:///etc/passwd", "not-http"),
    (PRODUCTION, "http://charter97.org/ru/news/", None),  # http to https and back
    (PRODUCTION, "http://127.0.0.1/", "private-address"),
    (PRODUCTION, "http://[::ffff:192.168.1.1]/", "private-address"),
]


@pytest.mark.parametrize(("origins", "url", "refusal"), GUARD_CASES, ids=[
    f"{'replica' if o is REPLICA else 'production'} {u}" for o, u, _ in GUARD_CASES])
def test_the_outlet_guard(origins: object, url: str, refusal: str | None) -> None:
    assert Origins.of(origins).refusal(url) == refusal  # type: ignore[arg-type]


def test_internal_hosts() -> None:
    assert all(is_internal(h) for h in ("127.0.0.1", "0x7f.1", "localhost", "a.localhost",
                                        "192.168.0.1", "fd00::1", "0.0.0.0"))
    assert not any(is_internal(h) for h in ("charter97.org", "8.8.8.8", "2001:4860::1", "abc"))
    assert resolved_refusal("charter97.org", "127.0.0.1", frozenset()) == "private-address"
    assert resolved_refusal("mirror.lan", "192.168.1.9", frozenset({"mirror.lan"})) is None
    assert resolved_refusal("charter97.org", "93.184.216.34", frozenset()) is None


def test_only_a_base_host_the_user_chose_is_trusted_to_resolve_inside() -> None:
    sources = load_sources()
    mirrored = [sources["charter97"].with_base_url("http://mirror.lan:8080"), sources["pozirk"]]
    assert trusted_hosts(mirrored) == ["mirror.lan"]  # not pozirk.online, its own public name


@pytest.mark.parametrize(("header", "seconds"), [
    (b"5", 5.0), ("120", 120.0), (None, None), (b"soon", None),
    (format_datetime(NOW + timedelta(seconds=90), usegmt=True).encode(), 90.0),
    (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0),
])
def test_retry_after(header: bytes | str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, NOW) == seconds


def _http_error(status: int) -> HttpError:
    return HttpError(HtmlResponse("http://x/", status=status), "Ignoring non-200 response")


@pytest.mark.parametrize(("error", "reason"), [
    (_http_error(503), "http-503"),
    (Refused("redirect-loop", "http://x/"), "redirect-loop"),
    (DownloadTimeoutError("took longer than 1 s"), "timeout"),
    (DownloadCancelledError("larger than download max size"), "too-large"),
    (IgnoreRequest("Ignored response because its body exceeded DOWNLOAD_MAXSIZE"), "too-large"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots-disallowed"),
])
def test_fetch_error_reasons(error: BaseException, reason: str) -> None:
    assert fetch_error_reason(error) == reason


FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>a</title><link>http://x/ru/news/1</link></item></channel></rss>")


def test_feeds() -> None:
    assert read_feed(FEED.encode()).links == ("http://x/ru/news/1",)
    assert read_feed(FEED.encode()).problem is None
    xxe = fault_bodies.feed_with_doctype(FEED, fault_bodies.external_entity_doctype("file:///x"), "&xxe;")
    assert read_feed(xxe.encode()).problem == FEED_ENTITIES
    assert read_feed(xxe.encode("utf-16")).problem == FEED_ENTITIES
    laughs = fault_bodies.feed_with_doctype(FEED, fault_bodies.laughs_doctype(3), "&lol3;")
    assert read_feed(laughs.encode()).links == ()
    assert read_feed(laughs.encode()).problem == FEED_ENTITIES
    assert read_feed(fault_bodies.truncated_feed(FEED * 3).encode()).problem == FEED_MALFORMED
    assert read_feed(b"<html><body>no feed</body></html>").problem == FEED_MALFORMED


def test_what_counts_as_a_page() -> None:
    assert is_html("text/html; charset=utf-8", b"<html>") and is_html(None, b"<p>x</p>")
    assert not is_html("application/pdf", fault_bodies.PDF)
    assert not is_html("text/html", fault_bodies.PNG)  # labelled a page, but a PNG
    assert not is_html("text/html", b"x\x00y")
    assert declared_charset("text/html; charset=windows-1251", b"") == "cp1251"
    assert declared_charset("text/html", b'<meta charset="koi8-r">') == "koi8-r"
    assert declared_charset(None, b"<html>") is None


PAGE = ('<html><head><meta charset="utf-8"></head><body><div class="l-main">'
        '<article class="article"><h1>Заголовок</h1><span class="article__date">{stamp}</span>'
        "{nest}<p>Первый абзац текста статьи.</p><p>Второй абзац.</p></article></div></body></html>")
URL = "https://charter97.org/ru/news/2026/11/20/1/"


def test_a_date_far_in_the_future_is_rejected_and_a_near_one_kept() -> None:
    far = extract_article(PAGE.format(stamp="20.11.2031, 10:00", nest=""), URL, PRODUCTION, NOW)
    assert isinstance(far, Rejected) and far.reason == "future-date"
    near = extract_article(PAGE.format(stamp="23.11.2026, 18:00", nest=""), URL, PRODUCTION, NOW)
    assert not isinstance(near, Rejected) and near.published_at is not None


def test_nesting_past_the_parser_limit_is_rejected_and_deep_nesting_read() -> None:
    deep = "<div>" * 300 + "x" + "</div>" * 300  # past libxml2's default limit of 256
    read = extract_article(PAGE.format(stamp="20.11.2026, 10:00", nest=deep), URL, PRODUCTION, NOW)
    assert not isinstance(read, Rejected) and read.paragraphs[-1] == "Второй абзац."
    bomb = fault_bodies.nested(PAGE.format(stamp="20.11.2026, 10:00", nest=""), depth=10_000)
    rejected = extract_article(bomb, URL, PRODUCTION, NOW)
    assert isinstance(rejected, Rejected) and rejected.reason == "too-deep"


def _post(url: str, data: dict[str, object] | None, method: str) -> tuple[int, dict[str, object]]:
    body = json.dumps(data).encode() if data is not None else None
    request = Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def _status(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as answer:
            return int(answer.status)
    except HTTPError as error:
        return error.code


def test_replica_faults_over_http_for_belmon_replica_users(replica: Replica) -> None:
    base = replica.base_urls["pozirk"]
    article = replica.articles("pozirk")[0].path
    status, answer = _post(base + "/__replica__/faults",
                           {"pattern": article, "mode": "status", "params": {"status": 503},
                            "times": 1}, "POST")
    assert status == 201 and answer["outlet"] == "pozirk"
    assert _status(base + article) == 503
    assert _status(base + article) == 200  # times=1: the next request is served
    assert _post(base + "/__replica__/faults", {"pattern": "/x", "mode": "nope"}, "POST")[0] == 400
    assert _post(base + "/__replica__/faults",
                 {"pattern": "/x", "mode": "status", "params": {"bogus": 1}}, "POST")[0] == 400
    _post(base + "/__replica__/faults", {"pattern": "/ru/*", "mode": "empty"}, "POST")
    assert _status(replica.base_urls["charter97"] + "/ru/news/p/1/") == 200  # other outlet
    assert _post(base + "/__replica__/faults", None, "DELETE") == (200, {"faults": []})
    assert _status(base + article) == 200
    assert [h.mode for h in replica.fault_hits] == ["status"]


def test_a_fault_touches_only_its_paths(replica: Replica) -> None:
    target = replica.articles("charter97")[0].path
    replica.set_fault(target, "status", outlet="charter97", status=500)
    with pytest.raises(ValueError, match="unknown fault mode"):
        replica.set_fault("/x", "explode")
    with pytest.raises(ValueError, match="must start with"):
        replica.set_fault("x", "empty")
    base = replica.base_urls["charter97"]
    assert _status(base + target) == 500
    assert _status(base + "/ru/news/p/1/") == 200
    assert _status(base + replica.articles("charter97")[1].path) == 200
    assert [h.path for h in replica.fault_hits] == [target]
    replica.clear_faults()
    assert _status(base + target) == 200
