"""The server is SIGKILLed in the middle of a stream of booking confirmations, then restarted.

Several clients confirm bookings concurrently, each with its own ``Idempotency-Key``; the
server process is killed (no shutdown handler runs) once some confirmations are through,
while others are in flight. After a restart on the same database:

* every booking whose confirmation a client received exists, exactly once, as it was shown;
* every confirmation whose answer was lost (the connection dropped, or the request never
  got through) is retried with the same key: if the dead server had committed it, the retry
  returns that stored booking (same reference), otherwise it books, once;
* nothing else was stored: one booking per conversation, no more.
"""

from __future__ import annotations

import threading
from collections import Counter

import httpx
from sqlalchemy import func, select

from service.storage import make_engine
from service.storage.tables import BookingRow, TurnRow

from .conftest import DatabaseFactory, ServerFactory, all_bookings, confirming, say, transcript

CUSTOMERS = 24
SENDERS = 6


def _stored(url: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Straight from the database: each conversation's booking references and its number of turns."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            bookings: dict[str, list[str]] = {}
            for conversation_id, reference in connection.execute(
                select(BookingRow.conversation_id, BookingRow.reference).order_by(BookingRow.id)
            ):
                bookings.setdefault(conversation_id, []).append(reference)
            counted = select(TurnRow.conversation_id, func.count()).group_by(TurnRow.conversation_id)
            turns = {conversation_id: count for conversation_id, count in connection.execute(counted)}
    finally:
        engine.dispose()
    return bookings, turns


def test_bookings_survive_sigkill_exactly_once(
    backend: str, new_database: DatabaseFactory, make_server: ServerFactory
) -> None:
    url = new_database(backend)
    server = make_server(url).start()
    with server.client() as http:
        customers = [confirming(http) for _ in range(CUSTOMERS)]
    key = {c.id: f"confirm-{c.id}" for c in customers}

    answers: dict[str, dict | str] = {}  # conversation id -> the 200 body, or what went wrong
    lock = threading.Lock()
    enough = threading.Event()
    pending = list(customers)

    def sender() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            while True:
                with lock:
                    if not pending:
                        return
                    customer = pending.pop(0)
                try:
                    response = say(http, customer, "yes", key=key[customer.id])
                    outcome: dict | str = response.json() if response.status_code == 200 else str(response.status_code)
                except httpx.ConnectError:
                    outcome = "not sent"
                except httpx.TransportError:
                    outcome = "lost"
                with lock:
                    answers[customer.id] = outcome
                    if sum(isinstance(a, dict) for a in answers.values()) >= CUSTOMERS // 3:
                        enough.set()

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    try:
        assert enough.wait(timeout=120), f"confirmations too slow: {answers}"
        server.kill()
    finally:
        for thread in threads:
            thread.join(timeout=90)
    assert not any(t.is_alive() for t in threads)
    assert len(answers) == CUSTOMERS

    seen = {cid: a for cid, a in answers.items() if isinstance(a, dict)}
    for body in seen.values():
        assert body["status"] == "booked" and body["booking"]["status"] == "confirmed", body
    unanswered = [c for c in customers if c.id not in seen]
    assert unanswered, "the kill came after every confirmation was answered"
    assert all(answers[c.id] in ("lost", "not sent") for c in unanswered), Counter(map(str, answers.values()))
    stored_at_kill, _ = _stored(url)
    for cid, body in seen.items():
        assert stored_at_kill.get(cid) == [body["booking"]["reference"]], "a confirmed booking is missing or doubled"
    committed_unanswered = {c.id: stored_at_kill[c.id] for c in unanswered if c.id in stored_at_kill}
    assert all(len(refs) == 1 for refs in committed_unanswered.values()), committed_unanswered
    assert set(stored_at_kill) <= {c.id for c in customers}

    server.start()
    with server.client() as http:
        for customer in unanswered:
            retry = say(http, customer, "yes", key=key[customer.id])
            assert retry.status_code == 200, retry.text
            body = retry.json()
            assert body["status"] == "booked" and body["booking"] is not None, body
            if customer.id in committed_unanswered:  # the dead server's answer, replayed
                assert [body["booking"]["reference"]] == committed_unanswered[customer.id]
            seen[customer.id] = body
        for customer in customers:
            view = transcript(http, customer)
            assert [b["reference"] for b in view["bookings"]] == [seen[customer.id]["booking"]["reference"]]
            assert [t["user"] for t in view["turns"]][2:] == ["yes"], "a retried confirmation was stored twice"
            booking = http.get(f"/api/v1/bookings/{seen[customer.id]['booking']['reference']}", headers=customer.auth)
            assert booking.status_code == 200 and booking.json() == seen[customer.id]["booking"]
        references = [b["reference"] for b in all_bookings(http)]
    assert sorted(references) == sorted(body["booking"]["reference"] for body in seen.values())
    stored, turns = _stored(url)
    assert all(len(stored[c.id]) == 1 for c in customers) and len(stored) == CUSTOMERS
    assert all(turns[c.id] == 3 for c in customers)  # greeting, the request, one "yes"
    print(
        f"\n{backend}: {len(seen) - len(unanswered)} confirmations answered before the kill, "
        f"{len(unanswered)} unanswered ({len(committed_unanswered)} of them committed by the dead server)"
    )
