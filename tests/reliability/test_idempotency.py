"""Client retries never double-book, against a real server process on SQLite and on PostgreSQL.

A widget that times out resends its message with the same ``Idempotency-Key``; an impatient
customer double-clicks; a proxy replays a request. However many copies arrive, and however
they interleave, one confirmation makes one booking and every copy gets the same answer.
"""

from __future__ import annotations

import threading

import httpx

from .conftest import all_bookings, confirming, say, transcript
from .processes import ServerProcess

COPIES = 8


def _race(server: ServerProcess, count: int, send) -> list[httpx.Response]:
    """``count`` requests released at the same instant, each on its own connection."""
    barrier = threading.Barrier(count)
    results: list[httpx.Response | BaseException | None] = [None] * count

    def run(i: int) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            barrier.wait(timeout=60)
            try:
                results[i] = send(http, i)
            except BaseException as error:
                results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(isinstance(r, httpx.Response) for r in results), results
    return results  # type: ignore[return-value]


def test_concurrent_retries_with_one_key_book_once(shared_server: ServerProcess) -> None:
    with shared_server.client() as http:
        customer = confirming(http)
        before = {b["reference"] for b in all_bookings(http)}
    responses = _race(shared_server, COPIES, lambda http, _: say(http, customer, "yes", key="retry-me"))
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    bodies = [r.json() for r in responses]
    assert all(body == bodies[0] for body in bodies), "every copy gets the same answer"
    assert bodies[0]["status"] == "booked"
    reference = bodies[0]["booking"]["reference"]
    with shared_server.client() as http:
        assert say(http, customer, "yes", key="retry-me").json() == bodies[0]  # a late retry too
        view = transcript(http, customer)
        assert [b["reference"] for b in view["bookings"]] == [reference]
        assert [t["user"] for t in view["turns"]].count("yes") == 1
        assert {b["reference"] for b in all_bookings(http)} - before == {reference}


def test_double_clicks_without_a_shared_key_book_once(shared_server: ServerProcess) -> None:
    """Different keys (or none): the first "yes" books, the others find the booking made."""
    with shared_server.client() as http:
        customer = confirming(http)

    def send(http: httpx.Client, i: int) -> httpx.Response:
        return say(http, customer, "yes", key=f"click-{i}" if i % 2 else None)

    responses = _race(shared_server, COPIES, send)
    assert {r.status_code for r in responses} == {200}, [r.text for r in responses]
    made = [r.json()["booking"] for r in responses if r.json()["booking"] is not None]
    assert len(made) == 1 and all(r.json()["status"] == "booked" for r in responses)
    with shared_server.client() as http:
        view = transcript(http, customer)
    assert [b["reference"] for b in view["bookings"]] == [made[0]["reference"]]
    assert len(view["turns"]) == 2 + COPIES  # each click is a turn; one of them booked


def test_a_key_reused_for_another_message_is_refused_and_changes_nothing(shared_server: ServerProcess) -> None:
    with shared_server.client() as http:
        customer = confirming(http)
        first = say(http, customer, "yes", key="mine")
        assert first.status_code == 200 and first.json()["status"] == "booked"
        reused = say(http, customer, "book another to boston", key="mine")
        assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"
        # keys belong to their conversation: the same key elsewhere is a new message
        other = confirming(http)
        elsewhere = say(http, other, "yes", key="mine")
        assert elsewhere.status_code == 200 and elsewhere.json()["booking"]["reference"] != first.json()["booking"][
            "reference"
        ]
        view = transcript(http, customer)
    assert len(view["turns"]) == 3 and len(view["bookings"]) == 1
