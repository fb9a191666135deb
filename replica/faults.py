"""Fault modes for the replica: chosen paths answer as a broken or hostile site would.

Set with `Replica.set_fault(pattern, mode, **params)` (or POST /__replica__/faults), cleared
with `Replica.clear_faults()`. A fault applies to the paths its pattern matches (an
fnmatch pattern over the path and query, so "/ru/news/*" covers a prefix), on one outlet or
all, for every request or only the first `times`. A replica without faults pays one
attribute check per request.
"""

from __future__ import annotations

import fnmatch
import inspect
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from replica import fault_bodies as bodies
from replica.pages import Response

MB = 1024 * 1024
BOMB_SIZE = 256 * MB
DRIP_LIMIT_SECONDS = 60.0  # a dripping answer gives up after this even if nobody hangs up


@dataclass(frozen=True)
class Fault:
    """One fault: which requests it breaks and how."""

    pattern: str
    mode: str
    params: Mapping[str, Any] = field(default_factory=dict)
    outlet: str | None = None  # None: every outlet
    times: int | None = None  # None: every matching request

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown fault mode {self.mode!r}; known: {', '.join(sorted(MODES))}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"fault {self.mode} on {self.pattern}: times must be at least 1")
        mode = MODES[self.mode]
        try:
            if hasattr(mode, "transform"):
                inspect.signature(mode.transform).bind("", **self.params)
            else:
                inspect.signature(mode).bind(None, None, **self.params)
        except TypeError as exc:
            raise ValueError(f"fault {self.mode} on {self.pattern}: {exc}") from None

    def matches(self, outlet: str, path: str) -> bool:
        if self.outlet not in (None, outlet):
            return False
        return fnmatch.fnmatchcase(path, self.pattern) or (
            "?" in path and fnmatch.fnmatchcase(urlsplit(path).path, self.pattern)
        )


@dataclass(frozen=True)
class FaultHit:
    """A request a fault answered: when (monotonic seconds), where, and how."""

    at: float
    outlet: str
    path: str
    mode: str


class FaultBook:
    """The faults in force, safe across request threads, and the requests they answered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._used: dict[int, int] = {}  # id(fault) -> requests answered
        self._hits: list[FaultHit] = []

    def add(self, fault: Fault) -> Fault:
        if fault.mode == "gzip_bomb":  # built now, not while a crawler's timeout runs
            bodies.gzip_bomb(int(fault.params.get("size", BOMB_SIZE)))
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._used.clear()

    @property
    def faults(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    @property
    def hits(self) -> list[FaultHit]:
        with self._lock:
            return list(self._hits)

    def take(self, outlet: str, path: str) -> Fault | None:
        """The fault that answers this request, if any (the newest matching one wins)."""
        if not self._faults:
            return None
        with self._lock:
            for fault in reversed(self._faults):
                used = self._used.get(id(fault), 0)
                if fault.matches(outlet, path) and (fault.times is None or used < fault.times):
                    self._used[id(fault)] = used + 1
                    self._hits.append(FaultHit(time.monotonic(), outlet, path, fault.mode))
                    return fault
        return None


def serve(handler: BaseHTTPRequestHandler, fault: Fault, normal: Callable[[], Response]) -> None:
    """Answer the handler's request as `fault` says; `normal` renders the good page."""
    handler.close_connection = True
    MODES[fault.mode](_Wire(handler), normal, **fault.params)


class _Wire:
    """Writing one answer byte by byte, as a fault needs to."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self.handler = handler

    def head(self, status: int, headers: Iterable[tuple[str, str]]) -> None:
        self.handler.send_response(status)
        for name, value in headers:
            self.handler.send_header(name, value)
        self.handler.end_headers()

    def whole(self, status: int, content_type: str, body: bytes,
              extra: Iterable[tuple[str, str]] = ()) -> None:
        self.head(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                           *extra])
        self.write(body)

    def write(self, data: bytes) -> bool:
        """False once the client has hung up."""
        try:
            self.handler.wfile.write(data)
            self.handler.wfile.flush()
        except OSError:
            return False
        return True

    def reset(self) -> None:
        """Abort the connection with a TCP reset instead of a clean close."""
        sock: socket.socket = self.handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def _error_page(status: int) -> bytes:
    return f"<!DOCTYPE html><html><body><h1>{status}</h1></body></html>".encode()


def _status(wire: _Wire, normal: Callable[[], Response], status: int = 500,
            retry_after: int | str | None = None) -> None:
    extra = [("Retry-After", str(retry_after))] if retry_after is not None else []
    wire.whole(status, "text/html; charset=utf-8", _error_page(status), extra)


def _reset(wire: _Wire, normal: Callable[[], Response], fraction: float = 0.5) -> None:
    page = normal()
    wire.head(page.status, [("Content-Type", page.content_type),
                            ("Content-Length", str(len(page.body)))])
    wire.write(page.body[: int(len(page.body) * fraction)])
    wire.reset()


def _drip(wire: _Wire, normal: Callable[[], Response], interval: float = 0.2,
          limit: float = DRIP_LIMIT_SECONDS) -> None:
    page = normal()
    wire.head(page.status, [("Content-Type", page.content_type),
                            ("Content-Length", str(len(page.body)))])
    deadline = time.monotonic() + limit
    for offset in range(len(page.body)):
        if time.monotonic() > deadline or not wire.write(page.body[offset : offset + 1]):
            return
        time.sleep(interval)


def _redirect(wire: _Wire, normal: Callable[[], Response], location: str = "/",
              status: int = 302) -> None:
    wire.whole(status, "text/html; charset=utf-8", _error_page(status), [("Location", location)])


def _redirect_loop(wire: _Wire, normal: Callable[[], Response], vary: bool = False) -> None:
    # Back to the same URL, or (vary) on to an ever new one: ?hop=1, ?hop=2, ...
    url = urlsplit(wire.handler.path)
    hop = parse_qs(url.query).get("hop", ["0"])[0]
    location = f"{url.path}?hop={int(hop) + 1}" if vary and hop.isdigit() else url.path
    _redirect(wire, normal, location)


def _huge(wire: _Wire, normal: Callable[[], Response], size: int = 50 * MB,
          declare_length: bool = True) -> None:
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if declare_length:
        headers.append(("Content-Length", str(size)))
    wire.head(200, headers)
    for chunk in bodies.huge_chunks(size):
        if not wire.write(chunk):
            return


def _gzip_bomb(wire: _Wire, normal: Callable[[], Response], size: int = BOMB_SIZE) -> None:
    wire.whole(200, "text/html; charset=utf-8", bodies.gzip_bomb(size),
               [("Content-Encoding", "gzip")])


def _charset(wire: _Wire, normal: Callable[[], Response], encoding: str = "windows-1251",
             declared: str | None = "utf-8") -> None:
    page = normal()
    content_type = f"text/html; charset={declared}" if declared else "text/html"
    wire.whole(page.status, content_type, bodies.recode(page.body, encoding, declared))


def _rewrite(transform: Callable[..., str]) -> Callable[..., None]:
    def mode(wire: _Wire, normal: Callable[[], Response], **params: Any) -> None:
        page = normal()
        text = transform(page.body.decode("utf-8"), **params)
        wire.whole(page.status, page.content_type, text.encode("utf-8"))

    mode.transform = transform  # type: ignore[attr-defined]  # checked against a fault's params
    return mode


def _empty(wire: _Wire, normal: Callable[[], Response]) -> None:
    wire.whole(200, "text/html; charset=utf-8", b"")


def _binary(wire: _Wire, normal: Callable[[], Response], kind: str = "pdf",
            content_type: str | None = None) -> None:
    body, own_type = bodies.BINARIES[kind]
    wire.whole(200, content_type or own_type, body)


def _feed_xxe(feed: str, target: str = "file:///etc/passwd") -> str:
    return bodies.feed_with_doctype(feed, bodies.external_entity_doctype(target), "&xxe;")


def _feed_laughs(feed: str, levels: int = 9) -> str:
    return bodies.feed_with_doctype(feed, bodies.laughs_doctype(levels), f"&lol{levels};")


def _set_cookie(wire: _Wire, normal: Callable[[], Response], name: str = "session",
                value: str = "secret") -> None:
    page = normal()
    wire.whole(page.status, page.content_type, page.body,
               [("Set-Cookie", f"{name}={value}; Path=/; HttpOnly")])


def _respond(wire: _Wire, normal: Callable[[], Response], status: int = 200,
             content_type: str = "text/plain; charset=utf-8", body: str = "") -> None:
    wire.whole(status, content_type, body.encode("utf-8"))


Mode = Callable[..., None]
MODES: dict[str, Mode] = {
    "status": _status,  # status=500 | 503 | 429 | 404 ..., retry_after=seconds or HTTP date
    "reset": _reset,  # the connection reset mid-body (fraction of the body sent first)
    "drip": _drip,  # one byte every `interval` seconds
    "redirect": _redirect,  # to `location`: another host, a loopback or private address
    "redirect_loop": _redirect_loop,  # to itself, or (vary=True) to an endless chain
    "huge": _huge,  # `size` bytes (50 MB), with or without Content-Length
    "gzip_bomb": _gzip_bomb,  # `size` (256 MB) of spaces, gzipped to about 250 KB
    "charset": _charset,  # body in `encoding`, labelled `declared` (None: no charset at all)
    "malformed": _rewrite(bodies.mangle),
    "empty": _empty,
    "no_date": _rewrite(bodies.without_dates),
    "future_date": _rewrite(bodies.dated_ahead),  # years=N
    "nested": _rewrite(bodies.nested),  # depth=N
    "binary": _binary,  # kind="pdf" | "png", content_type to lie about it
    "feed_malformed": _rewrite(bodies.truncated_feed),
    "feed_xxe": _rewrite(_feed_xxe),  # target="file:///..." or a URL
    "feed_laughs": _rewrite(_feed_laughs),  # levels=9
    "set_cookie": _set_cookie,
    "respond": _respond,  # any status, content type and body (a robots.txt, say)
}
