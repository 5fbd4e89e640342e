"""A connection lost during COMMIT: the 503 says the outcome is unknown, and a resend books once.

The fault is real: just before a turn's COMMIT goes out, the test terminates that
connection's PostgreSQL backend (``pg_terminate_backend``) from another connection, so the
COMMIT meets a dead connection. From where the service stands the commit may or may not have
landed, so it must not say "nothing was saved"; the customer's resend with the same
Idempotency-Key decides, and books exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url

from service.storage import migrate

from .conftest import ServerFactory, start_conversation


class CommitKiller:
    """While armed, kills the backend of the next connection that commits a write."""

    def __init__(self) -> None:
        self.armed = threading.Event()
        self.killed = 0

    def wrote(self, conn: Connection, cursor, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            conn.info["wrote"] = True

    def commit(self, conn: Connection) -> None:
        if not (self.armed.is_set() and conn.info.pop("wrote", False)):
            return
        self.armed.clear()
        pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
        url = make_url(str(conn.engine.url)).set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as killer:
            killer.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
        self.killed += 1


@pytest.fixture
def killer() -> Iterator[CommitKiller]:
    killing = CommitKiller()
    event.listen(Engine, "before_cursor_execute", killing.wrote)
    event.listen(Engine, "commit", killing.commit)
    yield killing
    event.remove(Engine, "commit", killing.commit)
    event.remove(Engine, "before_cursor_execute", killing.wrote)


def test_a_commit_lost_on_the_way_says_the_outcome_is_unknown(
    make_server: ServerFactory, postgres, killer: CommitKiller
) -> None:
    url = postgres()
    migrate.upgrade(url)
    server = make_server(url)
    with server.client() as http:
        conversation, auth = start_conversation(http)
        path = f"/api/v1/conversations/{conversation}/messages"
        http.post(path, json={"text": "I want to arrive in Taipei on Nov. 2nd"}, headers=auth)
        asked = http.post(path, json={"text": "Ana Sousa"}, headers=auth)
        assert asked.json()["status"] == "confirming", asked.text

        killer.armed.set()
        lost = http.post(path, json={"text": "yes"}, headers={**auth, "Idempotency-Key": "confirm-1"})
        assert killer.killed == 1, "the fault was not injected"
        assert lost.status_code == 503, lost.text
        assert int(lost.headers["retry-after"]) > 0
        message = lost.json()["error"]["message"]
        assert "outcome is unknown" in message and "same Idempotency-Key" in message, message
        assert "nothing was saved" not in message

        again = http.post(path, json={"text": "yes"}, headers={**auth, "Idempotency-Key": "confirm-1"})
        assert again.status_code == 200, again.text
        assert again.json()["status"] == "booked"
        once_more = http.post(path, json={"text": "yes"}, headers={**auth, "Idempotency-Key": "confirm-1"})
        assert once_more.json() == again.json()  # the stored answer, not a second turn

        # the database is this test's own: one booking in all
        bookings = http.get("/api/v1/bookings", headers={"X-Admin-Key": "admin-secret"}).json()
        assert [b["reference"] for b in bookings] == [again.json()["booking"]["reference"]]
        turns = http.get(f"/api/v1/conversations/{conversation}", headers=auth).json()["turns"]
        assert [t["user"] for t in turns].count("yes") == 1
