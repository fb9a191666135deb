"""Which URLs an outlet's crawl may fetch: its own hosts and ports only, never another
loopback or private address. Pure."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.sources import DEFAULT_PORTS, Source, url_port

OFFSITE = "offsite"
PRIVATE_ADDRESS = "private-address"
NOT_HTTP = "not-http"


@dataclass(frozen=True)
class Origins:
    """Where one outlet's crawl may fetch: where its Source says it is served (Source.serves)."""

    source: Source

    @classmethod
    def of(cls, source: Source) -> Origins:
        return cls(source)

    def refusal(self, url: str) -> str | None:
        """Why `url` must not be fetched for this outlet, or None when it may be."""
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            return NOT_HTTP
        host = (parts.hostname or "").lower()
        if url_port(parts) is None:
            return OFFSITE
        if host not in self.source.base_hosts and is_internal(host):
            return PRIVATE_ADDRESS
        if not self.source.serves(url):
            return OFFSITE
        return None


def is_internal(host: str) -> bool:
    """Whether `host` names this machine or a private network (loopback, RFC 1918, link-local
    such as a cloud's metadata service, unique-local, unspecified)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = ip_literal(host)
    return address is not None and not address.is_global


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address `host` spells, including the forms the C resolver also reads as IPv4
    ("127.1", "2130706433", "0x7f.0.0.1"); None for a host name."""
    text = host.strip("[]").split("%")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        if not text or not all(c in "0123456789abcdefxABCDEFX." for c in text):
            return None
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def resolved_refusal(name: str, address: str, trusted: frozenset[str]) -> str | None:
    """PRIVATE_ADDRESS when the host name `name` resolved to an internal `address` and is not
    one of the `trusted` names (the base hosts the user pointed belmon at)."""
    if name.lower() in trusted or not is_internal(address):
        return None
    return PRIVATE_ADDRESS
