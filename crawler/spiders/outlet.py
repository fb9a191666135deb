"""The one spider: discovers an outlet's new articles from its feeds and listing pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import Executor
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.extraction.decoding import declared_charset, decode_html, is_html
from crawler.extraction.feeds import FeedItem, read_feed
from crawler.extraction.urls import ArticleRef, article_ref, clean_url
from crawler.fetcherrors import fetch_error_reason
from crawler.fingerprint import similarity
from crawler.items import ArticlePage
from crawler.options import CrawlOptions
from crawler.sources import Edition, Source
from crawler.themes import ThemeSet, load_themes
from storage.engine import ArchiveError
from storage.feed_validators import feed_validators, save_feed_validators
from storage.references import reference_vectors
from storage.stories import NearDuplicatePolicy

if TYPE_CHECKING:
    from storage.archive import Archive


# Feeds and listing pages go before article pages: every link to an article (its variants
# on other hosts and with tracking parameters) is then seen before the article is fetched.
DISCOVERY_PRIORITY = 10
# Article pages answering these refuse this crawler; a feed item's own text stands in for them.
REFUSED = frozenset({401, 403, 451})


class OutletSpider(scrapy.Spider):
    """Follows one Source: feeds and listing pages in, article pages out.

    Incremental: a URL already in the archive is not fetched again, and paging
    through a listing stops at the first page that holds nothing new, unless the outlet's
    previous run did not end ok: killed, stopped or short of some pages, it may have left
    unstored articles deeper in the listing, so this run pages on to max_pages.
    """

    name = "outlet"

    def __init__(
        self, source: Source, archive: Archive, run_id: int, options: CrawlOptions,
        pool: Executor | None = None, **kw: Any,
    ) -> None:
        super().__init__(name=source.id, **kw)
        self.source = source
        self.archive = archive
        self.run_id = run_id
        self.options = options
        self.allowed_domains = list(source.hosts)
        self.dedup = NearDuplicatePolicy(similarity, options.dedup_threshold)
        self.pool = pool  # page-reading worker processes, or None to read in this process
        self.catch_up = archive.previous_run_incomplete(source.id, run_id)
        self._skipped: set[str] = set()
        self._queued: set[str] = set()
        self._seen: dict[str, set[str]] = {}  # canonical URL -> every link seen to it
        self._feed_items: dict[str, FeedItem] = {}  # canonical URL -> its queued feed item
        self._validators: dict[str, tuple[str | None, str | None]] = {}  # feed -> ETag, date
        self._feeds_of: dict[str, set[str]] = {}  # canonical URL -> the feeds that listed it
        self._incomplete_feeds: set[str] = set()  # feeds with an article that failed to fetch
        self._sampled: list[ArticleRef] = []  # the articles a check reads, one per edition

    @cached_property
    def themes(self) -> ThemeSet:
        """The themes, loaded only if pages are read in this process (no worker pool)."""
        return load_themes(self.options.themes_file)

    @cached_property
    def references(self) -> dict[str, dict[str, float]]:
        return reference_vectors(self.archive.engine)

    async def start(self) -> AsyncIterator[Any]:
        feeds = [self.source.url(f, e) for e in self.source.editions for f in e.feeds]
        validators = feed_validators(self.archive.engine, feeds)
        for edition in self.source.editions:
            for feed in edition.feeds[:1] if self.options.sample else edition.feeds:
                url = self.source.url(feed, edition)
                yield scrapy.Request(
                    url, callback=self.parse_feed, errback=self.on_error,
                    headers=_conditional_headers(*validators.get(url, (None, None))),
                    cb_kwargs={"edition": edition}, priority=DISCOVERY_PRIORITY,
                    meta={"belmon_kind": "feed", "handle_httpstatus_list": [304]},
                )
            if edition.listing and not (self.options.sample and edition.feeds):
                yield self._listing_request(edition, 1)

    def _listing_request(self, edition: Edition, page: int) -> scrapy.Request:
        return scrapy.Request(
            self.source.url(edition.listing_path(page) or "/", edition), callback=self.parse_listing,
            errback=self.on_error, cb_kwargs={"edition": edition, "page": page},
            priority=DISCOVERY_PRIORITY, meta={"belmon_kind": "listing", "belmon_page": page},
        )

    def parse_feed(self, response: Response, edition: Edition) -> Iterator[scrapy.Request]:
        self._count("belmon/discovery_pages")
        if response.status == 304:  # unchanged since the last crawl: nothing new in it
            self._count("belmon/feeds_unchanged")
            return
        # Kept until the run ends well: saved now, a crawl killed before the feed's articles
        # are stored would be told "304, nothing new" next time, and lose them.
        self._validators[response.url] = (_header(response, b"ETag"),
                                          _header(response, b"Last-Modified"))
        feed = read_feed(response.body)
        if feed.problem is not None:
            self._reject(feed.problem, response.url)
        unknown = self._unknown(self._refs(feed.links, response.url))
        items = self._items_by_ref(feed.items, response.url)
        for ref in unknown:
            self._feeds_of.setdefault(ref.url, set()).add(response.url)
            if ref.url in items:
                self._feed_items.setdefault(ref.url, items[ref.url])
        yield from self._article_requests(unknown)

    def closed(self, reason: str) -> None:
        """Scrapy calls this once the run's articles are stored: remember the validators of
        every feed whose articles were all fetched, so the next crawl may ask "changed?"."""
        if reason != "finished":
            return
        try:
            for url, (etag, last_modified) in self._validators.items():
                if url not in self._incomplete_feeds:
                    save_feed_validators(self.archive.engine, url, etag, last_modified)
        except ArchiveError as exc:  # nothing is lost: the feeds are read in full next time
            self.logger.warning("%s: feed validators not kept: %s", self.source.id, exc)

    def _items_by_ref(self, items: Iterable[FeedItem], page_url: str) -> dict[str, FeedItem]:
        """Feed items by the canonical URL of the article each links to."""
        found: dict[str, FeedItem] = {}
        for item in items:
            ref = article_ref(self.source, item.link, page_url)
            if ref is not None:
                found[ref.url] = item
        return found

    def parse_listing(
        self, response: Response, edition: Edition, page: int
    ) -> Iterator[scrapy.Request]:
        self._count("belmon/discovery_pages")
        hrefs = response.css(f"{self.source.listing_link_selector}::attr(href)").getall()
        unknown = self._unknown(self._refs(hrefs, response.url))
        yield from self._article_requests(unknown)
        # A page with nothing the archive lacks ends the paging (articles this run
        # already queued from a feed still count as new here), except in a catch-up.
        if (unknown or self.catch_up) and page < self.options.max_pages:
            yield self._listing_request(edition, page + 1)

    def parse_article(self, response: Response, ref: ArticleRef) -> Iterator[ArticlePage]:
        self._count("belmon/article_pages")
        content_type = _header(response, b"Content-Type")
        if not is_html(content_type, response.body):
            self._reject("not-html", response.url, content_type or "no Content-Type")
            return
        # Only a charset the server or page declares: Scrapy's own guess (often cp1252)
        # would turn an unlabelled windows-1251 page into mojibake.
        html = decode_html(response.body, declared_charset(content_type, response.body))
        self._feed_items.pop(ref.url, None)
        seen = self._seen.pop(ref.url, set()) | {clean_url(response.url)}
        yield ArticlePage(
            outlet=self.source.id, url=response.url, html=html,
            fetched_at=datetime.now(UTC), status=response.status, seen_urls=tuple(sorted(seen)),
        )

    def on_error(self, failure: Failure) -> Iterator[ArticlePage]:
        request = failure.request  # type: ignore[attr-defined]
        error = failure.value
        if (
            isinstance(error, HttpError)
            and request.meta.get("belmon_kind") == "listing"
            and request.meta.get("belmon_page", 1) > 1
            and error.response.status == 404
        ):
            return  # paged past the end of the listing
        kind = request.meta.get("belmon_kind", "article")
        reason = fetch_error_reason(error)
        # Counted as "<kind> <reason>", so the run's message reads "fetch errors: article
        # http-503 1, feed timeout 1".
        self._count(f"belmon/fetch_errors/{kind} {reason}")
        asked = request.meta.get("redirect_urls", [request.url])[0]  # before any redirect
        ref = request.cb_kwargs.get("ref")
        if isinstance(ref, ArticleRef):  # its feeds must be read again in full next time
            self._incomplete_feeds.update(self._feeds_of.get(ref.url, ()))
        item = self._feed_items.pop(ref.url, None) if isinstance(ref, ArticleRef) else None
        if (item is not None and isinstance(error, HttpError)
                and error.response.status in REFUSED and item.title and item.summary):
            self.logger.warning("%s: %s refused us (%s); keeping its feed item's title, summary "
                                "and time", self.source.id, asked, reason)
            yield ArticlePage(
                outlet=self.source.id, url=request.url, html="", fetched_at=datetime.now(UTC),
                status=error.response.status, feed_item=item,
                seen_urls=tuple(sorted(self._seen.pop(ref.url, set()))),
            )
            return
        self.logger.warning("%s: could not fetch %s (%s): %s", self.source.id, asked, reason,
                            failure.getErrorMessage())

    def _reject(self, reason: str, url: str, detail: str = "") -> None:
        self._count(f"belmon/rejected/{reason}")
        self.logger.info("%s: rejected %s (%s) %s", self.source.id, url, reason, detail)

    def _refs(self, hrefs: Iterable[str], page_url: str) -> list[ArticleRef]:
        found: dict[str, ArticleRef] = {}
        for href in hrefs:
            ref = article_ref(self.source, href, page_url)
            if ref is not None:
                found[ref.url] = ref
                self._seen.setdefault(ref.url, set()).add(clean_url(urljoin(page_url, href)))
        return list(found.values())

    def _unknown(self, refs: list[ArticleRef]) -> list[ArticleRef]:
        """The refs the archive does not hold yet (all of them with --refetch)."""
        if self.options.sample:
            return self._sample(refs)
        if self.options.refetch:
            return refs
        known = self.archive.known_urls(r.url for r in refs)
        for url in known:
            self._seen.pop(url, None)
        for url in known - self._skipped:
            self._skipped.add(url)
            self._count("belmon/skipped_known")
        return [r for r in refs if r.url not in known]

    def _sample(self, refs: list[ArticleRef]) -> list[ArticleRef]:
        """For a check: the first article of each edition not yet sampled, known or not."""
        taken = {r.lang for r in self._sampled}
        fresh = []
        for ref in refs:
            if ref.lang not in taken:
                taken.add(ref.lang)
                fresh.append(ref)
        self._sampled += fresh
        return fresh

    def _article_requests(self, refs: list[ArticleRef]) -> Iterator[scrapy.Request]:
        for ref in refs:
            if ref.url in self._queued:
                continue
            self._queued.add(ref.url)
            yield scrapy.Request(
                self.source.url(ref.path, self.source.edition(ref.lang)),
                callback=self.parse_article, errback=self.on_error,
                cb_kwargs={"ref": ref}, meta={"belmon_kind": "article"},
            )

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers

