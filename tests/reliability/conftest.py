"""Fixtures for the reliability tests: a private PostgreSQL cluster and real ``ticketbot serve`` processes.

Nothing here is a stand-in: the servers are the product's command in child processes, the
databases are real SQLite files and a real PostgreSQL server, and every request goes over
loopback HTTP. Each process is killed when its test (or the session) ends, pass or fail;
when a prerequisite is missing (no PostgreSQL binaries, a server that does not start), the
test fails with the reason instead of being skipped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from model import Tagger

from .processes import PrivatePostgres, ProcessError, ServerProcess

ADMIN = {"X-Admin-Key": "reliability-admin"}


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL cluster of this session's own, which the tests may stop and start."""
    try:
        cluster = PrivatePostgres()
    except (ProcessError, OSError) as error:
        pytest.fail(f"cannot create a private PostgreSQL cluster: {error}", pytrace=False)
    try:
        cluster.start()
    except ProcessError as error:
        cluster.destroy()
        pytest.fail(str(error), pytrace=False)
    yield cluster
    cluster.destroy()


DatabaseFactory = Callable[[str], str]


@pytest.fixture
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> DatabaseFactory:
    """``new_database("sqlite" | "postgresql")``: the URL of a fresh, empty database."""

    def create(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'ticketbot-{uuid.uuid4().hex[:8]}.db'}"
        cluster: PrivatePostgres = request.getfixturevalue("private_postgres")
        cluster.start()  # a test that stopped it and failed leaves it down
        return cluster.create_database(f"ticketbot_{uuid.uuid4().hex[:12]}")

    return create


ServerFactory = Callable[..., ServerProcess]


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[ServerFactory]:
    """``make_server(url, **options)``: a ``ServerProcess`` (not yet started), killed after the test."""
    made: list[ServerProcess] = []

    def make(url: str, **options: object) -> ServerProcess:
        server = ServerProcess(url, tmp_path, name=f"server{len(made)}", **options)  # type: ignore[arg-type]
        made.append(server)
        return server

    yield make
    for server in made:
        server.kill()


@pytest.fixture(scope="session")
def shared_servers(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[dict]:
    """One long-lived server per backend, started on first use, for tests that do no damage."""
    running: dict[str, ServerProcess] = {}
    folder = tmp_path_factory.mktemp("shared-servers")

    def get(backend: str) -> ServerProcess:
        if backend not in running:
            if backend == "sqlite":
                url = f"sqlite:///{folder / 'shared.db'}"
            else:
                cluster: PrivatePostgres = request.getfixturevalue("private_postgres")
                url = cluster.create_database(f"ticketbot_shared_{uuid.uuid4().hex[:8]}")
            server = ServerProcess(url, folder, name=f"shared-{backend}")
            running[backend] = server
            try:
                server.start()
            except ProcessError as error:
                pytest.fail(str(error), pytrace=False)
        return running[backend]

    yield {"get": get}
    for server in running.values():
        server.kill()


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    """The bundled tagger, in this process (for tests of components below the API)."""
    return Tagger.load(device="cpu")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def shared_server(backend: str, shared_servers: dict) -> ServerProcess:
    server = shared_servers["get"](backend)
    if not server.running:
        pytest.fail(f"the shared {backend} server died:\n{server.log_tail()}", pytrace=False)
    return server


# --- talking to a server ------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    id: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def start_conversation(http: httpx.Client) -> Conversation:
    response = http.post("/api/v1/conversations")
    assert response.status_code == 201, response.text
    body = response.json()
    return Conversation(body["conversation_id"], body["token"])


def say(http: httpx.Client, conversation: Conversation, text: str, key: str | None = None) -> httpx.Response:
    headers = {**conversation.auth, **({"Idempotency-Key": key} if key else {})}
    return http.post(f"/api/v1/conversations/{conversation.id}/messages", json={"text": text}, headers=headers)


def arrival_message(city: str = "denver", days_ahead: int = 45) -> str:
    """A message that fills every required slot: a date well ahead of the server's real clock, and the name."""
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=days_ahead)
    return f"I want to arrive in {city} on {day:%B} {day.day}, the name is Ana Sousa"


def confirming(http: httpx.Client, text: str | None = None) -> Conversation:
    """A new conversation waiting for the customer's yes (``text``: the message that gets it there)."""
    conversation = start_conversation(http)
    response = say(http, conversation, text or arrival_message())
    assert response.status_code == 200 and response.json()["status"] == "confirming", response.text
    return conversation


def transcript(http: httpx.Client, conversation: Conversation) -> dict:
    response = http.get(f"/api/v1/conversations/{conversation.id}", headers=conversation.auth)
    assert response.status_code == 200, response.text
    return response.json()


def all_bookings(http: httpx.Client) -> list[dict]:
    bookings: list[dict] = []
    while True:
        page = http.get("/api/v1/bookings", params={"limit": 1000, "offset": len(bookings)}, headers=ADMIN)
        assert page.status_code == 200, page.text
        bookings += page.json()
        if len(page.json()) < 1000:
            return bookings
