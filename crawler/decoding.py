"""Bytes to text for article pages whose declared charset cannot be trusted."""

from __future__ import annotations

from bs4.dammit import UnicodeDammit


def decode_html(body: bytes, declared: str | None) -> str:
    """The page's text: valid UTF-8 wins (a false charset label is common), then the
    declared charset, then BeautifulSoup's detector."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return body.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    dammit = UnicodeDammit(body, ["windows-1251"], is_html=True)
    return dammit.unicode_markup or body.decode("utf-8", errors="replace")
