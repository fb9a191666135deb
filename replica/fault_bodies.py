"""Broken bodies for the replica's fault modes: each turns a good page into a bad one. Pure."""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Iterator

# A one-page PDF and a 1x1 PNG: what an outlet serves when a link points at a file.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
BINARIES = {"pdf": (PDF, "application/pdf"), "png": (PNG, "image/png")}

_META_CHARSET = re.compile(rb"<meta\s+charset=\"?[\w-]+\"?\s*/?>", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})(-\d\d-\d\dT)")
_STAMP = re.compile(r"(\b\d{1,2}\.\d{1,2}\.)(\d{4})\b")
_FEED_TEXT = re.compile(r"<(title|description)>")
_HUGE_CHUNK = (b"<p>" + b"filler text " * 20 + b"</p>\n") * 256
_bombs: dict[int, bytes] = {}
_bombs_lock = threading.Lock()


def recode(body: bytes, encoding: str, declared: str | None) -> bytes:
    """A UTF-8 page re-encoded in `encoding`, its <meta charset> saying `declared` (or gone)."""
    meta = f'<meta charset="{declared}">'.encode("ascii") if declared else b""
    relabelled = _META_CHARSET.sub(meta, body, count=1)
    return relabelled.decode("utf-8").encode(encoding, errors="xmlcharrefreplace")


def mangle(page: str) -> str:
    """Markup as careless sites write it: end tags missing, stray and mis-nested tags, a bare
    < and &, unquoted attributes, no end to the document (the article's text is unchanged)."""
    page = re.sub(r"</(p|li|span|td|tr|h3)>", "", page)
    page = page.replace("<body>", "<body></div></span></table><b><i>5 < 7 & AT&T</b></i>", 1)
    page = re.sub(r'class="([\w-]+)"', r"class=\1", page)
    return re.sub(r"</body>\s*</html>\s*$", "<!-- an unclosed comment", page)


def without_dates(page: str) -> str:
    """The page with every publication time it shows removed (markup and text)."""
    page = re.sub(r"<time\b[^>]*>.*?</time>", "", page, flags=re.DOTALL)
    page = re.sub(r"<meta property=\"article:published_time\"[^>]*>", "", page)
    page = re.sub(r"<span class=\"article__date\">.*?</span>", "<span class=\"article__date\"></span>",
                  page)
    return _STAMP.sub("", page)


def dated_ahead(page: str, years: int = 5) -> str:
    """The page with every publication time moved `years` into the future."""
    page = _ISO_DATE.sub(lambda m: f"{int(m[1]) + years}{m[2]}", page)
    return _STAMP.sub(lambda m: f"{m[1]}{int(m[2]) + years}", page)


def nested(page: str, depth: int = 10_000, after: str = "</h1>") -> str:
    """`depth` nested <div>s inserted after the first `after` (or at the start of the body)."""
    block = "<div>" * depth + "deep" + "</div>" * depth
    if after in page:
        return page.replace(after, after + block, 1)
    return page.replace("<body>", "<body>" + block, 1)


def huge_chunks(size: int) -> Iterator[bytes]:
    """`size` bytes of HTML paragraphs, in chunks, never all in memory."""
    yield b"<!DOCTYPE html><html><body>"
    sent = len(b"<!DOCTYPE html><html><body>")
    while sent < size:
        chunk = _HUGE_CHUNK[: size - sent]
        sent += len(chunk)
        yield chunk


def gzip_bomb(size: int) -> bytes:
    """A gzip stream of `size` spaces: about a thousandth of that compressed; built once."""
    with _bombs_lock:
        if size not in _bombs:
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            block = b" " * (1 << 20)
            parts = [packer.compress(block[: min(len(block), size - n)])
                     for n in range(0, size, len(block))]
            _bombs[size] = b"".join(parts) + packer.flush()
        return _bombs[size]


def truncated_feed(feed: str) -> str:
    """A feed cut off mid-way, ending in an unclosed item with a bare ampersand."""
    return feed[: len(feed) * 3 // 5] + "<item><title>broken & <unclosed"


def feed_with_doctype(feed: str, doctype: str, reference: str) -> str:
    """The feed with a DOCTYPE after its XML declaration and `reference` in every title
    and description."""
    declaration, sep, rest = feed.partition("?>")
    if not sep:
        declaration, rest = "", feed
    else:
        declaration += sep
    rest = _FEED_TEXT.sub(lambda m: f"<{m[1]}>{reference}", rest)
    return f"{declaration}\n{doctype}{rest}"


def external_entity_doctype(target: str) -> str:
    """A DTD declaring the entity `xxe` as the contents of `target` (a file or URL)."""
    return f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>'


def laughs_doctype(levels: int = 9) -> str:
    """The "billion laughs" DTD: `lol{levels}` expands to 10**levels copies of "lol"."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels + 1):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return "<!DOCTYPE rss [" + "".join(entities) + "]>"
