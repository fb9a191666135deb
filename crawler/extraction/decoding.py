"""Bytes to text for article pages whose declared charset or type cannot be trusted."""

from __future__ import annotations

from bs4.dammit import UnicodeDammit
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

HTML_TYPES = ("text/html", "application/xhtml+xml")
# First bytes of files an outlet may serve where a page should be (PDF, images, archives).
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"RIFF",
                 b"\x1f\x8b")


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


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset the server (Content-Type) or else the page (<meta>) declares; None when
    neither does, rather than a guess."""
    return http_content_type_encoding(content_type) or html_body_declared_encoding(body)


def is_html(content_type: str | None, body: bytes) -> bool:
    """Whether an answer is a web page: typed as HTML (or untyped), and not a binary file by
    its first bytes, whatever its label says."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media and media not in HTML_TYPES:
        return False
    head = body[:1024]
    return not head.startswith(_BINARY_MAGIC) and b"\x00" not in head
