"""Why a request failed, as one short reason for the run record ("http-503", "timeout", ...)."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx

from crawler.hostguard import PRIVATE_ADDRESS


class Refused(IgnoreRequest):
    """A request belmon will not make: off the outlet's hosts, a private address, a loop."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.reason = reason
        self.url = url


_BY_TYPE: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    (DownloadTimeoutError, "timeout"),
    (tx.TimeoutError, "timeout"),
    # Scrapy cancels a download whose body passes DOWNLOAD_MAXSIZE (or at shutdown).
    (DownloadCancelledError, "too-large"),
    ((ResponseDataLossError, DownloadFailedError, tx.ConnectionLost, tx.ConnectionDone),
     "connection-lost"),
    ((DownloadConnectionRefusedError, tx.ConnectionRefusedError), "connection-refused"),
    (tx.ConnectError, "connect-error"),
)


def fetch_error_reason(error: BaseException | None) -> str:
    """The reason a request failed, from the exception its errback received."""
    if isinstance(error, HttpError):
        return f"http-{error.response.status}"
    if isinstance(error, Refused):
        return error.reason
    if isinstance(error, CannotResolveHostError):
        return PRIVATE_ADDRESS if PRIVATE_ADDRESS in str(error) else "dns"
    if isinstance(error, IgnoreRequest):
        text = str(error)
        if "robots.txt" in text:
            return "robots-disallowed"
        if "DOWNLOAD_MAXSIZE" in text:  # a compressed body that inflates past the limit
            return "too-large"
        return "ignored"
    for types, reason in _BY_TYPE:
        if isinstance(error, types):
            return reason
    return type(error).__name__
