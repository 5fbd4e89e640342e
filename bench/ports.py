"""A free loopback port for the servers the benchmarks start (they take a port number, not a socket)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listened on a moment ago; the server must bind it soon, before another process may."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
