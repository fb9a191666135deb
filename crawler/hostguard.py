"""Which URLs an outlet's crawl may fetch: its own hosts and ports only, never another
loopback or private address. Pure."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.sources import Source

DEFAULT_PORTS = {"http": 80, "https": 443}
OFFSITE = "offsite"
PRIVATE_ADDRESS = "private-address"
NOT_HTTP = "not-http"


@dataclass(frozen=True)
class Origins:
    """The (host, port) pairs one outlet is fetched from."""

    allowed: frozenset[tuple[str, int]]
    base_host: str

    @classmethod
    def of(cls, source: Source) -> Origins:
        base = urlsplit(source.base_url)
        base_host = (base.hostname or "").lower()
        base_port = base.port or DEFAULT_PORTS.get(base.scheme, 80)
        allowed = {(base_host, base_port)}
        # The outlet's public names (canonical host, aliases) on the standard ports: a redirect
        # from http to https, or from a mirror to the main site, stays on the outlet.
        public = {(urlsplit(source.canonical_base).hostname or "").lower(),
                  *(a.lower() for a in source.aliases)}
        allowed |= {(host, port) for host in public if host for port in DEFAULT_PORTS.values()}
        return cls(frozenset(allowed), base_host)

    def refusal(self, url: str) -> str | None:
        """Why `url` must not be fetched for this outlet, or None when it may be."""
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            return NOT_HTTP
        host = (parts.hostname or "").lower()
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            return OFFSITE
        if host != self.base_host and is_internal(host):
            return PRIVATE_ADDRESS
        if (host, port) not in self.allowed:
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
