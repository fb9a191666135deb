"""Decoding pages whose charset label is wrong or missing."""

from __future__ import annotations

from crawler.extraction.decoding import decode_html

TEXT = "<html><body><p>Беларусь и Китай подписали соглашение о торговле</p></body></html>"


def test_windows_1251_declared_as_utf8_is_read() -> None:
    assert decode_html(TEXT.encode("windows-1251"), "utf-8") == TEXT


def test_utf8_declared_as_windows_1251_is_read() -> None:
    assert decode_html(TEXT.encode("utf-8"), "windows-1251") == TEXT


def test_no_charset_at_all() -> None:
    assert decode_html(TEXT.encode("windows-1251"), None) == TEXT
