"""The database goes away in the middle of conversations and comes back.

A private PostgreSQL cluster is killed (immediate shutdown: every backend quits at once,
as in a crash) under a running ``ticketbot serve``. While it is down the service answers
503 with ``Retry-After`` and writes nothing; once it is back, the same server process
carries on with every conversation exactly where it was.
"""

from __future__ import annotations

import threading
import time

import httpx

from .conftest import (
    ADMIN,
    Conversation,
    ServerFactory,
    all_bookings,
    arrival_message,
    confirming,
    say,
    start_conversation,
    transcript,
)
from .processes import PrivatePostgres

OUTAGE_S = 4.0


def _unavailable(response: httpx.Response) -> bool:
    return (
        response.status_code == 503
        and int(response.headers.get("retry-after", "0")) > 0
        and response.json()["error"]["code"] == "unavailable"
    )


def test_a_database_restart_mid_conversation_answers_503_then_carries_on(
    private_postgres: PrivatePostgres, make_server: ServerFactory
) -> None:
    url = private_postgres.create_database("ticketbot_outage")
    server = make_server(url).start()
    with server.client(timeout=30) as http:
        request = arrival_message("denver")
        booking_customer = confirming(http, request)
        chatting = start_conversation(http)
        assert say(http, chatting, "to boston").json()["missing"] == ["arrival", "traveller"]

        private_postgres.stop("immediate")
        try:
            down = [
                say(http, booking_customer, "yes", key="yes-1"),
                say(http, chatting, "on the 3rd of next month"),
                http.post("/api/v1/conversations"),
                http.get(f"/api/v1/conversations/{chatting.id}", headers=chatting.auth),
                http.get("/api/v1/bookings", headers=ADMIN),
            ]
            for response in down:
                assert _unavailable(response), (response.status_code, response.text)
                assert "nothing was saved" in response.json()["error"]["message"] or response.request.method == "GET"
            ready = http.get("/readyz")
            assert ready.status_code == 503 and ready.json()["database"] is False and ready.headers["retry-after"]
            assert http.get("/healthz").status_code == 200
        finally:
            private_postgres.start()

        # the same server process, the same conversations: nothing lost, nothing half-written
        booked = say(http, booking_customer, "yes", key="yes-1")
        assert booked.status_code == 200, booked.text
        assert booked.json()["status"] == "booked" and booked.json()["booking"]["destination"]["city"] == "Denver"
        assert say(http, booking_customer, "yes", key="yes-1").json() == booked.json()

        view = transcript(http, chatting)
        assert [t["user"] for t in view["turns"]] == [None, "to boston"], "the refused message must not be stored"
        assert view["slots"]["destination"]["city"] == "Boston" and view["missing"] == ["arrival", "traveller"]
        view = transcript(http, booking_customer)
        assert [t["user"] for t in view["turns"]] == [None, request, "yes"]
        assert [b["reference"] for b in view["bookings"]] == [booked.json()["booking"]["reference"]]
        assert [b["reference"] for b in all_bookings(http)] == [booked.json()["booking"]["reference"]]
        assert http.get("/readyz").status_code == 200
    assert server.running, server.log_tail()


def _keep_talking(
    server_url: str, conversation: Conversation, messages: list[str], seen: list[int], deadline: float
) -> None:
    """A client that sends its messages in order, retrying each (same Idempotency-Key) until it is answered."""
    with httpx.Client(base_url=server_url, timeout=20) as http:
        for number, text in enumerate(messages):
            while time.monotonic() < deadline:
                try:
                    response = say(http, conversation, text, key=f"{conversation.id}-{number}")
                except httpx.TransportError:
                    seen.append(-1)
                    time.sleep(0.2)
                    continue
                seen.append(response.status_code)
                if response.status_code == 200:
                    break
                assert _unavailable(response), (response.status_code, response.text)
                time.sleep(0.2)


def test_clients_talking_through_a_database_crash_lose_nothing_and_double_nothing(
    private_postgres: PrivatePostgres, make_server: ServerFactory
) -> None:
    """Clients keep talking while the database crashes mid-transaction and restarts. Whatever a
    request was doing when its connection died, every answer is a 200 or a 503, and once each
    client's retries get through, each transcript holds its messages exactly once, in order."""
    url = private_postgres.create_database("ticketbot_outage_stream")
    server = make_server(url).start()
    clients = 4
    with server.client() as http:
        conversations = [start_conversation(http) for _ in range(clients)]
    scripts = [[f"client {c} says hello number {i}" for i in range(24)] for c in range(clients)]
    seen: list[list[int]] = [[] for _ in range(clients)]
    deadline = time.monotonic() + 150
    threads = [
        threading.Thread(target=_keep_talking, args=(server.url, conversations[c], scripts[c], seen[c], deadline))
        for c in range(clients)
    ]
    for thread in threads:
        thread.start()
    try:
        while sum(s.count(200) for s in seen) < clients * 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        private_postgres.stop("immediate")
        time.sleep(OUTAGE_S)
    finally:
        private_postgres.start()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "clients still waiting at the deadline"
    statuses = {status for s in seen for status in s}
    assert statuses <= {200, 503}, f"answers other than 200 and 503 (-1: connection failed): {statuses}"
    assert 503 in statuses, "no request met the outage"
    with server.client() as http:
        for conversation, script in zip(conversations, scripts, strict=True):
            turns = transcript(http, conversation)["turns"]
            assert [t["user"] for t in turns] == [None, *script]
            assert [t["seq"] for t in turns] == list(range(len(script) + 1))
    assert server.running, server.log_tail()
