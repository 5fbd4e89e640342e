"""A real ticketbot server on a loopback port, spoken to over real HTTP.

Each server runs uvicorn in a thread of the test process, with the bundled tagger
loaded once and a fixed conversation clock, against SQLite or the local PostgreSQL.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from model import Tagger
from service.api import create_app
from service.settings import Settings
from service.storage import migrate

from ..conftest import NOW


@dataclass
class LiveServer:
    url: str
    settings: Settings

    def client(self, **options: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **options)  # type: ignore[arg-type]


@contextmanager
def live_server(settings: Settings, tagger: Tagger) -> Iterator[LiveServer]:
    """Serve ``create_app(settings)`` until the block ends."""
    app = create_app(settings, tagger=tagger, clock=lambda: NOW)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


ServerFactory = Callable[..., LiveServer]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database of each backend, shared by a module's tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'ticketbot.db'}"
    else:
        url = request.getfixturevalue("postgres")()
    migrate.upgrade(url)
    return url


def _settings(url: str, **overrides: object) -> Settings:
    defaults: dict[str, object] = {
        "database_url": url, "admin_key": "admin-secret", "rate_limit_client": "100000/minute",
        "rate_limit_conversation": "100000/minute", "cors_origins": ["https://shop.example"],
    }  # fmt: skip
    return Settings(**{**defaults, **overrides})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server(database_url: str, tagger: Tagger) -> Iterator[LiveServer]:
    with live_server(_settings(database_url), tagger) as running:
        yield running


@pytest.fixture
def make_server(tagger: Tagger, tmp_path: Path) -> Iterator[ServerFactory]:
    """Start extra servers with other settings (stopped after the test)."""
    stack: list = []

    def start(url: str | None = None, **overrides: object) -> LiveServer:
        if url is None:
            url = f"sqlite:///{tmp_path / f'extra{len(stack)}.db'}"
            migrate.upgrade(url)
        manager = live_server(_settings(url, **overrides), tagger)
        stack.append(manager)
        return manager.__enter__()

    yield start
    for manager in reversed(stack):
        manager.__exit__(None, None, None)


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


def start_conversation(http: httpx.Client) -> tuple[str, dict[str, str]]:
    """(conversation id, headers carrying its token)."""
    response = http.post("/api/v1/conversations")
    assert response.status_code == 201, response.text
    body = response.json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}"}
