"""A spider callback that raises costs its own page: counted under a reason, one log line."""

from __future__ import annotations

import logging

import pytest
from scrapy import Request
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.callbackerrors import CallbackErrors


def _response(kind: str) -> HtmlResponse:
    request = Request("http://127.0.0.1:8097/ru/news/2026/9/17/693410/", meta={"belmon_kind": kind})
    return HtmlResponse(request.url, body=b"<html></html>", request=request)


def _middleware() -> CallbackErrors:
    crawler = get_crawler()
    crawler.stats.open_spider()  # type: ignore[union-attr,call-arg]
    return CallbackErrors.from_crawler(crawler)


def test_an_article_callback_error_is_a_rejection_with_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    middleware = _middleware()
    with caplog.at_level(logging.WARNING):
        result = middleware.process_spider_exception(_response("article"), KeyError("title"))
    assert result is not None and list(result) == []  # handled: nothing more from this page
    assert middleware.crawler.stats.get_value("belmon/rejected/parse-error: KeyError") == 1  # type: ignore[union-attr]
    [record] = caplog.records
    assert "/ru/news/2026/9/17/693410/ (parse-error: KeyError) 'title'" in record.getMessage()
    assert "\n" not in record.getMessage() and record.exc_info is None


def test_a_listing_callback_error_is_a_fetch_error_of_its_kind() -> None:
    middleware = _middleware()
    middleware.process_spider_exception(_response("listing"), ValueError("bad page number"))
    assert middleware.crawler.stats.get_value(  # type: ignore[union-attr]
        "belmon/fetch_errors/listing parse-error: ValueError") == 1


def test_scrapy_control_exceptions_keep_their_own_handling() -> None:
    assert _middleware().process_spider_exception(_response("article"), CloseSpider("x")) is None
