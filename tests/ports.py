"""Free loopback ports for the servers the tests start."""

from __future__ import annotations

import socket

__all__ = ["bound_socket", "free_port"]


def bound_socket() -> socket.socket:
    """A socket bound to a free loopback port, left open: a server handed the socket itself
    (uvicorn's ``sockets=``) listens on a port no other process can take in between."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    """The number of a port free a moment ago, for a server started as a process with ``--port``.

    The port is released before the server binds it, so another process could take it in
    between; where the server can be handed a socket, ``bound_socket`` leaves no such gap.
    """
    with bound_socket() as sock:
        return sock.getsockname()[1]
