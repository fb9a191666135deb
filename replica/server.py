"""The replica server: each outlet on its own loopback port, fed by files, add() and POST."""

from __future__ import annotations

import hashlib
import json
import logging
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from replica import charter97_pages, faults, house_pages, pozirk_pages
from replica.corpus import (
    MINSK,
    OUTLETS,
    ReplicaArticle,
    article_files,
    load_corpus,
    load_file,
    newest_first,
    parse_article,
)
from replica.houses import HOUSES
from replica.pages import PageRequest, Response, common_route, html_page, not_found

logger = logging.getLogger(__name__)

CONTROL_PATH = "/__replica__/articles"
FAULTS_PATH = "/__replica__/faults"
REQUEST_LOG_SIZE = 100_000
MAX_POST_BYTES = 1_000_000
Router = Callable[[PageRequest, list[ReplicaArticle]], Response | None]
ROUTERS: dict[str, Router] = {"charter97": charter97_pages.route, "pozirk": pozirk_pages.route}


def server_keys() -> list[str]:
    """The hosts the replica serves, one port each: every outlet's own, and then each
    edition that lives on a host of its own ("belta.be" is BelTA's blr.belta.by)."""
    keys = list(OUTLETS)
    for house in HOUSES.values():
        keys += [k for k in dict.fromkeys(house.own_hosts.values()) if k not in keys]
    return keys


def _router(key: str) -> Callable[[PageRequest, list[ReplicaArticle]], Response | None]:
    outlet = key.split(".")[0]
    if outlet in ROUTERS:
        return ROUTERS[outlet]
    house = HOUSES[outlet]
    return lambda request, articles: house_pages.route(house, key, request, articles)


class OutletStore:
    """One outlet's articles, safe across request threads; rescans its drop folder on read.

    The folder is listed again only when its mtime changes, so add new files, or replace
    one atomically (write elsewhere, then rename); an in-place edit of a file already
    served goes unnoticed. Removing a file does not unpublish its article.
    """

    def __init__(
        self, outlet: str, articles: Iterable[ReplicaArticle], drop_dir: Path | None
    ) -> None:
        self.outlet = outlet
        self._lock = threading.Lock()
        self._by_id = {a.id: a for a in articles}
        self._sorted: list[ReplicaArticle] | None = None
        self._drop = drop_dir / outlet if drop_dir else None
        self._drop_mtime: int | None = None
        self._seen: dict[str, tuple[int, int]] = {}  # file name -> (mtime, size) last read
        self._broken: set[str] = set()
        self._pending = False

    def add(self, article: ReplicaArticle) -> bool:
        """Publish (or replace, as an edit) an article; True when its id is new."""
        if article.outlet != self.outlet:
            raise ValueError(f"{article.outlet} article {article.id} added to {self.outlet}")
        with self._lock:
            return self._put(article)

    def _put(self, article: ReplicaArticle) -> bool:
        is_new = article.id not in self._by_id
        self._by_id[article.id] = article
        self._sorted = None
        logger.debug("%s article %d %s", self.outlet, article.id, "added" if is_new else "replaced")
        return is_new

    def snapshot(self) -> list[ReplicaArticle]:
        """All articles newest first, after picking up new files in the drop folder."""
        with self._lock:
            self._rescan()
            if self._sorted is None:
                self._sorted = newest_first(self._by_id.values())
            return self._sorted

    def _rescan(self) -> None:
        # One stat per request; the listing is read only when the folder changed, a file
        # failed to parse last time (it may have been caught half-written), or the folder
        # changed within the last second (mtimes are coarse: two drops may share one).
        if self._drop is None or not self._drop.is_dir():
            return
        mtime = self._drop.stat().st_mtime_ns
        if mtime == self._drop_mtime and not self._pending:
            return
        self._drop_mtime, self._pending = mtime, False
        for path in article_files(self._drop.parent, self.outlet):
            self._load_dropped(path)
        self._pending = self._pending or time.time_ns() - mtime < 1_000_000_000

    def _load_dropped(self, path: Path) -> None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return
        signature = (stat.st_mtime_ns, stat.st_size)
        if self._seen.get(path.name) == signature:
            self._pending = self._pending or path.name in self._broken
            return
        self._seen[path.name] = signature
        try:
            article = load_file(self.outlet, path)
        except ValueError as exc:
            # Maybe caught half-written: look again on every request until it changes.
            self._broken.add(path.name)
            self._pending = True
            logger.warning("replica drop file skipped: %s", exc)
            return
        self._broken.discard(path.name)
        self._put(article)


class OutletServer(ThreadingHTTPServer):
    """An HTTP server for one outlet; handlers reach the replica through it."""

    daemon_threads = True
    # socketserver's default backlog of 5 overflows under a crawler's parallel
    # connections, and the kernel then retries the handshake ~200 ms later.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], key: str, replica: Replica) -> None:
        super().__init__(address, ReplicaHandler)
        self.key = key  # "belta", or "belta.be" for an edition on a host of its own
        self.outlet = key.split(".")[0]
        self.route = _router(key)
        self.replica = replica
        host, port = self.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The base class prints the traceback to stderr; a library logs instead.
        logger.debug("replica %s: error serving %s", self.outlet, client_address, exc_info=True)


class ReplicaHandler(BaseHTTPRequestHandler):
    """Serves one outlet's pages, plus the POST control endpoint."""

    server: OutletServer

    def version_string(self) -> str:
        return "nginx"

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def do_POST(self) -> None:
        control = urlsplit(self.path).path.rstrip("/")
        if control == FAULTS_PATH:
            status, answer = self._post_fault()
        elif control == CONTROL_PATH:
            status, answer = self._post_article()
        else:
            self._send(not_found(), with_body=True)
            return
        self._send_json(status, answer)

    def do_DELETE(self) -> None:
        if urlsplit(self.path).path.rstrip("/") != FAULTS_PATH:
            self._send(not_found(), with_body=True)
            return
        self.server.replica.clear_faults()
        self._send_json(200, {"faults": []})

    def _answer(self, with_body: bool) -> None:
        server = self.server
        server.replica.record(server.key, self.path, self.headers.get("Cookie"))
        fault = server.replica.faults.take(server.outlet, self.path)
        if fault is None:
            self._send_conditional(self._safe_page(), with_body)
        elif with_body:
            faults.serve(self, fault, self._safe_page)
        else:
            self._send(self._safe_page(), with_body=False)

    def _safe_page(self) -> Response:
        try:
            return self._page()
        except Exception:
            logger.exception("replica %s failed on %s", self.server.outlet, self.path)
            return html_page("<!DOCTYPE html><html><body><h1>500</h1></body></html>", 500)

    def _page(self) -> Response:
        server = self.server
        url = urlsplit(self.path)
        found = common_route(url.path)
        if found is None:
            request = PageRequest(url.path, url.query, server.base_url, server.replica.now())
            articles = server.replica.store(server.outlet).snapshot()
            found = server.route(request, articles)
        ballast = server.replica.ballast
        if found is not None and ballast and found.content_type.startswith("text/html"):
            found = replace(found, body=found.body.replace(b"</body>", ballast + b"</body>", 1))
        return found or not_found()

    def _post_article(self) -> tuple[int, dict[str, Any]]:
        try:
            article = parse_article(self.server.outlet, self._json_body())
        except ValueError as exc:
            return 400, {"error": str(exc)}
        is_new = self.server.replica.store(self.server.outlet).add(article)
        url = self.server.base_url + article.path
        answer = {"outlet": article.outlet, "id": article.id, "path": article.path, "url": url}
        return (201 if is_new else 200), answer

    def _post_fault(self) -> tuple[int, dict[str, Any]]:
        """{"pattern": "/ru/news/*", "mode": "status", "params": {"status": 503}, "times": 1}
        sets a fault on this port's outlet."""
        try:
            data = self._json_body()
            params = data.get("params") or {}
            if not isinstance(params, dict):
                raise ValueError("params must be a JSON object")
            fault = self.server.replica.set_fault(
                str(data.get("pattern") or ""), str(data.get("mode") or ""),
                outlet=self.server.outlet, times=data.get("times"), **params,
            )
        except (ValueError, TypeError) as exc:
            return 400, {"error": str(exc)}
        return 201, {"pattern": fault.pattern, "mode": fault.mode, "outlet": fault.outlet,
                     "times": fault.times, "params": dict(fault.params)}

    def _json_body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_POST_BYTES:
            raise ValueError(f"body must be 1..{MAX_POST_BYTES} bytes of JSON")
        data = json.loads(self.rfile.read(length))
        if not isinstance(data, dict):
            raise ValueError("body must be a JSON object")
        return data

    def _send_json(self, status: int, answer: dict[str, Any]) -> None:
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self._send(Response(status, "application/json; charset=utf-8", body), with_body=True)

    def _send_conditional(self, response: Response, with_body: bool) -> None:
        """Feeds carry an ETag, as many real feeds do; a matching If-None-Match gets 304."""
        if response.status != 200 or "rss" not in response.content_type:
            self._send(response, with_body)
            return
        etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.server.replica.count_not_modified()
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self._send(response, with_body, {"ETag": etag})

    def _send(self, response: Response, with_body: bool,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.server.outlet, format % args)


def page_ballast(kb: int) -> bytes:
    """Boilerplate of about `kb` KB as real pages carry it: a site menu and an inline script."""
    if kb <= 0:
        return b""
    links = "".join(f'<li><a href="/ru/section/{n}/">Раздел {n}</a></li>' for n in range(200))
    menu = f'<nav class="site-map"><ul>{links}</ul></nav>'
    config = ",".join(f'"widget{n}":{{"id":{n},"enabled":true,"slot":"side-{n % 7}"}}'
                      for n in range(kb * 20))
    script = f"<script>window.__SITE_CONFIG__={{{config}}};</script>"
    return (menu + script).encode("utf-8")[: kb * 1024 - 10] + b"<!---->"


class Replica:
    """Every outlet's replica, each host on its own port (`server_keys`); start() it or use it
    as a context manager."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        articles_root: Path | None = None,
        drop_dir: Path | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        page_weight_kb: int = 0,
    ) -> None:
        corpus = load_corpus(articles_root)
        # Real article pages weigh ~100 KB (menus, scripts, widgets); the replica's are ~4 KB.
        # Benchmarks add this much boilerplate to every HTML page to fetch pages of that size.
        self.ballast = page_ballast(page_weight_kb)
        self._stores = {
            outlet: OutletStore(outlet, (a for a in corpus if a.outlet == outlet), drop_dir)
            for outlet in OUTLETS
        }
        self._address = (host, port)
        self._clock = clock or (lambda: datetime.now(MINSK))
        self._servers: dict[str, OutletServer] = {}
        self._mirrors: list[OutletServer] = []
        self._threads: list[threading.Thread] = []
        self._log: deque[tuple[str, str]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._times: deque[float] = deque(maxlen=REQUEST_LOG_SIZE)  # beside _log, one each
        self._cookies: deque[tuple[str, str, str]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._log_lock = threading.Lock()
        self.faults = faults.FaultBook()
        self.not_modified = 0  # 304 answers to conditional feed requests

    def count_not_modified(self) -> None:
        with self._log_lock:
            self.not_modified += 1

    def start(self) -> Replica:
        host, port = self._address
        try:
            for offset, key in enumerate(server_keys()):
                address = (host, port + offset if port else 0)
                self._servers[key] = OutletServer(address, key, self)
        except OSError:
            self.stop()
            raise
        for outlet, server in self._servers.items():
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},  # stop() waits for one poll
                name=f"replica-{outlet}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            if self._threads:
                server.shutdown()
            server.server_close()
        for mirror in self._mirrors:
            mirror.shutdown()
            mirror.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._mirrors.clear()
        self._threads.clear()

    def mirror(self, key: str) -> str:
        """Serve `key`'s pages ("charter97", "belta.be") on one more port, as another outlet's
        host would; returns its base URL. (A benchmark's hundred outlets are copies of one, each
        on a host of its own: outlets that share a host share the URLs they fetch.)"""
        if key not in self._servers:
            raise KeyError(f"not served: {key!r}")
        server = OutletServer((self._address[0], 0), key, self)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  name=f"replica-{key}-mirror", daemon=True)
        thread.start()
        self._mirrors.append(server)
        self._threads.append(thread)
        return server.base_url

    def __enter__(self) -> Replica:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_urls(self) -> dict[str, str]:
        if not self._servers:
            raise RuntimeError("the replica is not running: call start() first")
        return {key: server.base_url for key, server in self._servers.items()}

    @property
    def outlets(self) -> list[str]:
        """The outlets served, in port order (base_urls also names the editions' own hosts)."""
        return list(self._stores)

    def hosts_of(self, outlet: str) -> dict[str, str]:
        """The base URLs serving `outlet`: its own ("belta") and its editions' ("belta.be")."""
        return {k: url for k, url in self.base_urls.items() if k.split(".")[0] == outlet}

    def edition_urls(self, outlet: str) -> dict[str | None, str]:
        """The base URLs of `outlet` by edition: None for its own host, "be" for "belta.be"."""
        return {k.partition(".")[2] or None: url for k, url in self.hosts_of(outlet).items()}

    def store(self, outlet: str) -> OutletStore:
        if outlet not in self._stores:
            raise KeyError(f"unknown outlet {outlet!r}; known: {', '.join(OUTLETS)}")
        return self._stores[outlet]

    def add(self, article: ReplicaArticle) -> None:
        """Publish an article (same id: replace it); visible from the next request."""
        self.store(article.outlet).add(article)

    def articles(self, outlet: str) -> list[ReplicaArticle]:
        """What the outlet publishes right now, newest first (the crawl's ground truth)."""
        return list(self.store(outlet).snapshot())

    def now(self) -> datetime:
        return self._clock()

    def record(self, outlet: str, path: str, cookie: str | None = None) -> None:
        with self._log_lock:
            self._log.append((outlet, path))
            self._times.append(time.monotonic())
            if cookie is not None:
                self._cookies.append((outlet, path, cookie))

    @property
    def request_log(self) -> list[tuple[str, str]]:
        """(outlet, path with query) of every GET/HEAD so far, oldest first; a copy."""
        with self._log_lock:
            return list(self._log)

    @property
    def timed_request_log(self) -> list[tuple[float, str, str]]:
        """(monotonic seconds, outlet, path with query) of every GET/HEAD, oldest first."""
        with self._log_lock:
            return [(at, outlet, path) for at, (outlet, path) in zip(self._times, self._log,
                                                                      strict=True)]

    @property
    def cookie_log(self) -> list[tuple[str, str, str]]:
        """(outlet, path, Cookie header) of every GET/HEAD that sent a cookie; a copy."""
        with self._log_lock:
            return list(self._cookies)

    def reset_request_log(self) -> None:
        with self._log_lock:
            self._log.clear()
            self._times.clear()
            self._cookies.clear()

    def set_fault(
        self, pattern: str, mode: str, *, outlet: str | None = None, times: int | None = None,
        **params: Any,
    ) -> faults.Fault:
        """Break the paths matching `pattern` (fnmatch, over path and query) in `mode`;
        see replica/faults.py for the modes and their params."""
        if outlet is not None:
            self.store(outlet)  # an unknown outlet fails here
        if not pattern.startswith(("/", "*")):
            raise ValueError(f"fault pattern {pattern!r} must start with / or *")
        return self.faults.add(faults.Fault(pattern, mode, params, outlet, times))

    def clear_faults(self) -> None:
        """Every path answers normally again."""
        self.faults.clear()

    @property
    def fault_hits(self) -> list[faults.FaultHit]:
        """Every request a fault answered, oldest first; a copy."""
        return self.faults.hits


def serve_forever(port: int, drop_dir: Path | None) -> None:
    """Run the replica on port (charter97), port+1 (pozirk) and on, one port per host in
    `server_keys()` order, until Ctrl-C or SIGTERM."""
    stopping = threading.Event()
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda *_: stopping.set()) if in_main else None
    try:
        with Replica(port=port, drop_dir=drop_dir) as replica:
            for outlet, url in replica.base_urls.items():
                logger.info("%s replica serving at %s", outlet, url)
            while not stopping.wait(0.5):
                pass
    except KeyboardInterrupt:
        logger.info("replica interrupted")
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    logger.info("replica stopped")
