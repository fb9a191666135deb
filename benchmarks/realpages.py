"""The generic reader on real pages: a three-line outlet crawled from a local server, scored.

The 122 pages of ../shared/realpages are served on 127.0.0.1, each under its own URL path,
with an RSS feed listing them all; `belmon crawl` reads them as an outlet defined only by
name, base_url and feeds, and the stored articles are compared with the pages' ground truth:
titles, publication days, body word-F1 and languages.

    python -m benchmarks.realpages               # crawl with `belmon crawl` (as the e2e test)
    python -m benchmarks.realpages --in-process  # call extract_article directly (quicker)

How it scores (tests/e2e/test_realpages_outlet.py asserts the targets on the same figures):
- title: equal after NFC and whitespace normalisation, of the pages whose truth has a title;
- day: the calendar day of the truth's own offset (a truth without one, a bare date
  mostly, is a day as written and is compared with the stored time's UTC day), of the
  pages whose truth has a date;
- body: word-F1 of the stored lead and body against the truth's body, words being bags of
  lower-cased letter-and-digit runs (each CJK ideograph a word of its own), of the pages
  whose truth has a body; the median is the figure;
- language: the stored language equals the truth's, of every page.
A page that became no article scores 0 and counts as a miss in every figure it takes part in.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"
OUTLET = "myoutlet"
TARGETS = {"titles": 0.90, "days": 0.90, "median_body_f1": 0.90, "languages": 0.95}
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")


@dataclass(frozen=True)
class RealPage:
    """One saved page, the URL path it is served under, and its ground truth."""

    file: Path
    path: str  # path and query, unquoted, as served
    truth: dict[str, Any]

    @property
    def name(self) -> str:
        return self.file.name


def load_pages(root: Path = REALPAGES) -> list[RealPage]:
    """Every page of the collection with a unique URL path: its truth URL's path and query,
    or /page/<file stem> for a page without one (or whose path another page took)."""
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    pages: list[RealPage] = []
    taken: set[str] = set()
    for entry in truth:
        file = root / entry["file"]
        path = _url_path(entry.get("url"))
        if path is None or path in taken:
            path = f"/page/{file.stem}"
        taken.add(path)
        pages.append(RealPage(file, path, entry))
    return pages


def _url_path(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    path += f"?{unquote(parts.query)}" if parts.query else ""
    return None if path == "/" else path


# -- the local site ------------------------------------------------------------------------

class PageSite:
    """Which page a request path asks for: its own path and query, or else (a site ignores
    query parameters it does not use, tracking ones say) the one page on that path."""

    def __init__(self, pages: Sequence[RealPage]) -> None:
        self.pages = list(pages)
        self._exact = {p.path: p for p in pages}
        by_path: dict[str, list[RealPage]] = {}
        for p in pages:
            by_path.setdefault(p.path.split("?", 1)[0], []).append(p)
        self._by_path = {k: v[0] for k, v in by_path.items() if len(v) == 1}

    def page(self, request_path: str) -> RealPage | None:
        wanted = unquote(request_path)
        return self._exact.get(wanted) or self._by_path.get(wanted.split("?", 1)[0])

    def feed(self, base_url: str) -> bytes:
        """An RSS 2.0 feed linking every page, with neutral titles."""
        items = "".join(
            f"<item><title>item {i}</title><link>{escape(base_url + _quoted(p.path))}</link>"
            f"<guid>{escape(base_url + _quoted(p.path))}</guid></item>\n"
            for i, p in enumerate(self.pages, 1)
        )
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                f"<title>real pages</title><link>{escape(base_url)}/</link>"
                f"<description>saved article pages</description>\n{items}</channel></rss>\n"
                ).encode()


def _quoted(path: str) -> str:
    return quote(path, safe="/?&=%:;,+~@!$'()*")


@contextmanager
def serve(pages: Sequence[RealPage]) -> Iterator[str]:
    """A thread serving the pages (bytes as stored, text/html without a charset), /rss, and
    404 for anything else (robots.txt too); yields its base URL."""
    site = PageSite(pages)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/rss":
                self._answer(200, "application/rss+xml", site.feed(base))
                return
            page = site.page(self.path)
            if page is None:
                self._answer(404, "text/plain", b"not found")
                return
            self._answer(200, "text/html", page.file.read_bytes())

        def _answer(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def sources_text(base_url: str) -> str:
    """The whole outlet definition: three lines."""
    return f'[{OUTLET}]\nname = "My Outlet"\nbase_url = "{base_url}"\nfeeds = ["/rss"]\n'


# -- what belmon stored --------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    """The fields of one stored article that the truth is compared with."""

    title: str
    text: str  # lead and body
    published_at: datetime | None  # UTC
    language: str
    extractor: str = ""
    field_sources: dict[str, str] = field(default_factory=dict)


def crawl(base_url: str, workdir: Path, command: Sequence[str],
          env: dict[str, str] | None = None, timeout: float = 600) -> tuple[Path, str]:
    """`belmon crawl myoutlet` of the local site into a fresh archive; the archive and stdout."""
    sources = workdir / "sources.toml"
    sources.write_text(sources_text(base_url), encoding="utf-8")
    db = workdir / "realpages.sqlite"
    run_env = dict(os.environ if env is None else env)
    run_env["BELMON_DELAY"] = "0"
    result = subprocess.run([*command, "crawl", OUTLET, "--sources", str(sources), "--db", str(db)],
                            capture_output=True, text=True, timeout=timeout, env=run_env,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"belmon crawl exited {result.returncode}: {result.stderr[-2000:]}")
    return db, result.stdout


def stored_articles(db: Path, pages: Sequence[RealPage]) -> dict[str, Stored]:
    """The stored article of each page (by file name), found by the URL it was fetched from
    or, for a copy of another page's text, by the URL the archive noted it under."""
    site = PageSite(pages)
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("select id, fetched_url, title, coalesce(lead, ''), body, published_at, "
                            "language, extractor, field_sources from articles").fetchall()
        urls = conn.execute("select url, article_id from article_urls").fetchall()
    finally:
        conn.close()
    by_id: dict[int, Stored] = {}
    found: dict[str, Stored] = {}
    for aid, fetched, title, lead, body, published, language, extractor, sources in rows:
        by_id[aid] = Stored(title, f"{lead}\n\n{body}", _utc(published), language, extractor,
                            json.loads(sources) if sources else {})
        _note(found, site, fetched, by_id[aid])
    for url, aid in urls:
        _note(found, site, url, by_id[aid])
    return found


def _note(found: dict[str, Stored], site: PageSite, url: str, article: Stored) -> None:
    parts = urlsplit(url)
    page = site.page(parts.path + (f"?{parts.query}" if parts.query else ""))
    if page is not None:
        found.setdefault(page.name, article)


def _utc(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def extract_in_process(pages: Sequence[RealPage], base_url: str = "http://127.0.0.1:8999"
                       ) -> tuple[dict[str, Stored], dict[str, str]]:
    """extract_article on each page as the crawl would call it, without a crawl: the
    articles by file name, and the rejection reason of each page that became none."""
    from crawler.extraction.decoding import declared_charset, decode_html
    from crawler.extraction.extract import extract_article
    from crawler.sources import build_source

    source = build_source(OUTLET, {"name": "My Outlet", "base_url": base_url, "feeds": ["/rss"]})
    found: dict[str, Stored] = {}
    rejected: dict[str, str] = {}
    for page in pages:
        body = page.file.read_bytes()
        html = decode_html(body, declared_charset("text/html", body))
        got = extract_article(html, base_url + _quoted(page.path), source, datetime.now(UTC))
        if hasattr(got, "reason"):
            rejected[page.name] = got.reason
            continue
        found[page.name] = Stored(got.title, f"{got.lead or ''}\n\n{got.body}", got.published_at,
                                  got.language, got.extractor, dict(got.field_sources))
    return found, rejected


# -- scoring -------------------------------------------------------------------------------

def words(text: str) -> Counter[str]:
    """The bag of words of a text: lower-cased, punctuation gone, each CJK ideograph a word."""
    return Counter(_WORD.findall(unicodedata.normalize("NFC", text).lower()))


def word_f1(got: str, truth: str) -> float:
    g, t = words(got), words(truth)
    common = sum((g & t).values())
    if not common:
        return 0.0
    precision, recall = common / sum(g.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def normal_title(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def truth_day(published: str) -> tuple[date, Any]:
    """The day the truth names, and the offset it is in (None: a day as written)."""
    moment = datetime.fromisoformat(published)
    return moment.date(), moment.tzinfo


def stored_day(published_at: datetime, offset: Any) -> date:
    return published_at.astimezone(offset or UTC).date()


@dataclass
class Figures:
    titles: float
    days: float
    median_body_f1: float
    languages: float
    counts: dict[str, tuple[int, int]]  # figure -> (right, of)
    misses: list[str]

    def lines(self) -> list[str]:
        c = self.counts
        return [
            f"titles   {self.titles:6.1%}  ({c['titles'][0]}/{c['titles'][1]})",
            f"days     {self.days:6.1%}  ({c['days'][0]}/{c['days'][1]})",
            f"body F1  {self.median_body_f1:6.3f}  median of {c['body'][1]} "
            f"({c['body'][0]} at 0.9 or more)",
            f"language {self.languages:6.1%}  ({c['languages'][0]}/{c['languages'][1]})",
        ]

    def failed_targets(self) -> list[str]:
        got = {"titles": self.titles, "days": self.days, "median_body_f1": self.median_body_f1,
               "languages": self.languages}
        return [f"{k} {got[k]:.3f} < {v}" for k, v in TARGETS.items() if got[k] < v]


def score(pages: Sequence[RealPage], found: dict[str, Stored],
          rejected: dict[str, str] | None = None) -> Figures:
    """Compare what was stored with the truth; every miss is one line naming the page."""
    misses: list[str] = []
    title_ok = title_n = day_ok = day_n = lang_ok = 0
    f1s: list[float] = []
    for page in pages:
        truth, got = page.truth, found.get(page.name)
        if got is None:
            why = (rejected or {}).get(page.name, "no article stored")
            misses.append(f"{page.name}: no article ({why})")
        if truth.get("title"):
            title_n += 1
            if got is not None and normal_title(got.title) == normal_title(truth["title"]):
                title_ok += 1
            elif got is not None:
                misses.append(f"{page.name}: title {got.title[:70]!r} [{_src(got, 'title')}], "
                              f"truth {truth['title'][:70]!r}")
        if truth.get("published"):
            day_n += 1
            want, offset = truth_day(truth["published"])
            have = stored_day(got.published_at, offset) if got and got.published_at else None
            if have == want:
                day_ok += 1
            elif got is not None:
                misses.append(f"{page.name}: day {have} [{_src(got, 'published_at')}], "
                              f"truth {want} ({truth['published']})")
        if truth.get("body"):
            f1 = word_f1(got.text, truth["body"]) if got is not None else 0.0
            f1s.append(f1)
            if got is not None and f1 < 0.9:
                misses.append(f"{page.name}: body F1 {f1:.2f} [{_src(got, 'body')}], "
                              f"{sum(words(got.text).values())} words, truth "
                              f"{sum(words(truth['body']).values())}")
        if got is not None and got.language == truth["language"]:
            lang_ok += 1
        elif got is not None:
            misses.append(f"{page.name}: language {got.language}, truth {truth['language']}")
    n = len(pages)
    return Figures(
        titles=title_ok / (title_n or 1), days=day_ok / (day_n or 1),
        median_body_f1=statistics.median(f1s) if f1s else 0.0, languages=lang_ok / (n or 1),
        counts={"titles": (title_ok, title_n), "days": (day_ok, day_n),
                "body": (sum(f >= 0.9 for f in f1s), len(f1s)), "languages": (lang_ok, n)},
        misses=misses,
    )


def _src(got: Stored, name: str) -> str:
    return got.field_sources.get(name, "-")


def run_reasons(db: Path) -> dict[str, int]:
    """The rejection reasons the crawl's run record counted."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("select rejected_reasons from crawl_runs order by id desc").fetchone()
    finally:
        conn.close()
    return json.loads(row[0] or "{}") if row else {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--in-process", action="store_true",
                        help="call extract_article directly instead of crawling")
    parser.add_argument("--pages", type=Path, default=REALPAGES, help="the realpages folder")
    args = parser.parse_args(argv)
    pages = load_pages(args.pages)
    if args.in_process:
        found, rejected = extract_in_process(pages)
    else:
        with serve(pages) as base, tempfile.TemporaryDirectory() as tmp:
            db, _out = crawl(base, Path(tmp), [sys.executable, "-m", "scheduler"])
            found, rejected = stored_articles(db, pages), {}
            print(f"run record: rejected {run_reasons(db) or 'none'}")
    figures = score(pages, found, rejected)
    print(f"{len(found)} of {len(pages)} pages became articles")
    print("\n".join(figures.lines()))
    print("misses:")
    print("\n".join(f"  {m}" for m in figures.misses) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
