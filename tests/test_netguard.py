"""The offline guard itself: loopback connects, anything else is refused before leaving the machine."""

from __future__ import annotations

import socket

import pytest


def test_guard_refuses_a_public_address() -> None:
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="not loopback"):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1, never routed


def test_guard_refuses_a_host_name() -> None:
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="not loopback"):
        sock.connect(("example.org", 80))


def test_guard_allows_loopback() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with server, socket.socket() as client:
        client.connect(server.getsockname())
