"""Simulated customers for ``bench/load.py`` (run by locust, headless).

``Customer`` books a flight the way a widget user does: start a conversation, say where
and when, confirm. ``BareClient`` hits a bare FastAPI endpoint, the baseline the chat's
throughput is compared with. ``SoakCustomer`` is the soak's mixed load: bookings (some
with a correction first), rereading conversations and bookings, cancelling (through the
API and in the chat), and requests that must be refused (a forged token, no token, an
empty or over-long message, malformed JSON, an unknown booking). ``THINK_SECONDS``
(environment) sets a pause between a customer's messages; 0 means back to back.
``SOAK_LOG`` (environment), when set, is a file that gets one CSV line per request:
completion time (Unix seconds), name, milliseconds, 1 if as expected else 0.
"""

from __future__ import annotations

import os
import random
import time
import uuid

from customers import CITIES, MONTHS  # beside this file
from locust import FastHttpUser, between, constant, events, task

THINK = float(os.environ.get("THINK_SECONDS", "0"))


class Customer(FastHttpUser):
    wait_time = between(THINK / 2, THINK * 1.5) if THINK > 0 else constant(0)

    def _say(self, conversation: str, token: str, text: str, expect: str) -> bool:
        with self.client.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"text": text},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
            name="POST /api/v1/conversations/{id}/messages",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return False
            status = response.json().get("status")
            if status != expect:
                response.failure(f"expected status {expect}, got {status}: {response.json().get('reply')}")
                return False
            response.success()
            return True

    @task
    def book(self) -> None:
        with self.client.post("/api/v1/conversations", name="POST /api/v1/conversations", catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"HTTP {r.status_code}")
                return
            body = r.json()
        conversation, token = body["conversation_id"], body["token"]
        city, month, day = random.choice(CITIES), random.choice(MONTHS), random.randint(1, 28)
        if THINK:
            self.wait()
        if not self._say(conversation, token, f"I want to arrive in {city} on {month} {day}", "confirming"):
            return
        if THINK:
            self.wait()
        self._say(conversation, token, "yes", "booked")


class BareClient(FastHttpUser):
    wait_time = constant(0)

    @task
    def hit(self) -> None:
        self.client.post("/echo", json={"text": "I want to arrive in taipei on november 2nd"}, name="POST /echo")


SOAK_LOG = os.environ.get("SOAK_LOG")
if SOAK_LOG:
    _soak_log = open(SOAK_LOG, "a", buffering=1)  # noqa: SIM115 - open for the whole run, one line per request

    @events.request.add_listener
    def _record(request_type: str, name: str, response_time: float, exception: Exception | None, **_: object) -> None:
        _soak_log.write(f"{time.time():.3f},{name},{response_time:.2f},{0 if exception else 1}\n")


MESSAGES = "POST /api/v1/conversations/{id}/messages"


class SoakCustomer(FastHttpUser):
    """Mixed traffic for the soak; every response is checked, a 4xx is a failure unless it was the point."""

    wait_time = between(THINK / 2, THINK * 1.5) if THINK > 0 else constant(0)

    def on_start(self) -> None:
        self.conversations: list[tuple[str, str]] = []  # (id, token), the latest last
        self.bookings: list[tuple[str, str]] = []  # (reference, token) still confirmed

    def _expect(self, response, status: int, what: str = "") -> dict | None:
        if response.status_code != status:
            response.failure(f"{what}: expected HTTP {status}, got {response.status_code}: {response.text[:160]}")
            return None
        response.success()
        return response.json() if response.text else {}

    def _say(self, conversation: str, token: str, text: str, expect: str | None = None) -> dict | None:
        with self.client.post(
            f"/api/v1/conversations/{conversation}/messages", json={"text": text}, name=MESSAGES,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}, catch_response=True,
        ) as response:  # fmt: skip
            body = self._expect(response, 200, text)
            if body is not None and expect is not None and body.get("status") != expect:
                response.failure(f"{text!r}: expected status {expect}, got {body.get('status')}: {body.get('reply')}")
                return None
            return body

    def _start(self) -> tuple[str, str] | None:
        with self.client.post("/api/v1/conversations", name="POST /api/v1/conversations", catch_response=True) as r:
            body = self._expect(r, 201, "start")
        if body is None:
            return None
        self.conversations = [*self.conversations[-9:], (body["conversation_id"], body["token"])]
        return body["conversation_id"], body["token"]

    @task(4)
    def book(self) -> None:
        started = self._start()
        if started is None:
            return
        conversation, token = started
        city, month, day = random.choice(CITIES), random.choice(MONTHS), random.randint(1, 28)
        self.wait()
        if self._say(conversation, token, f"I want to arrive in {city} on {month} {day}", "confirming") is None:
            return
        if random.random() < 0.25:  # a correction, confirmed again
            self.wait()
            if self._say(conversation, token, f"no, to {random.choice(CITIES)}", "confirming") is None:
                return
        self.wait()
        body = self._say(conversation, token, "yes", "booked")
        if body is not None and body.get("booking"):
            self.bookings = [*self.bookings[-19:], (body["booking"]["reference"], token)]

    @task(3)
    def read_conversation(self) -> None:
        if not self.conversations:
            return
        conversation, token = random.choice(self.conversations)
        with self.client.get(
            f"/api/v1/conversations/{conversation}", headers={"Authorization": f"Bearer {token}"},
            name="GET /api/v1/conversations/{id}", catch_response=True,
        ) as response:  # fmt: skip
            self._expect(response, 200, "read conversation")

    @task(2)
    def read_booking(self) -> None:
        if not self.bookings:
            return
        reference, token = random.choice(self.bookings)
        with self.client.get(
            f"/api/v1/bookings/{reference}", headers={"Authorization": f"Bearer {token}"},
            name="GET /api/v1/bookings/{reference}", catch_response=True,
        ) as response:  # fmt: skip
            self._expect(response, 200, "read booking")

    @task(1)
    def cancel(self) -> None:
        if not self.bookings:
            return
        reference, token = self.bookings.pop(random.randrange(len(self.bookings)))
        if random.random() < 0.5:
            with self.client.post(
                f"/api/v1/bookings/{reference}/cancel", headers={"Authorization": f"Bearer {token}"},
                name="POST /api/v1/bookings/{reference}/cancel", catch_response=True,
            ) as response:  # fmt: skip
                body = self._expect(response, 200, "cancel")
                if body is not None and body.get("status") != "cancelled":
                    response.failure(f"cancel: the booking is {body.get('status')}")
            return
        conversation = next((c for c, t in self.conversations if t == token), None)
        if conversation is not None:  # in the chat, from the conversation that booked
            self._say(conversation, token, f"cancel {reference}")

    @task(2)
    def refused(self) -> None:
        """A request the service must refuse, with the status that says why."""
        conversation, token = self.conversations[-1] if self.conversations else (uuid.uuid4().hex, "x" * 43)
        path = f"/api/v1/conversations/{conversation}/messages"
        json_type = {"Content-Type": "application/json"}
        bearer = {"Authorization": f"Bearer {token}", **json_type}
        forged = {"Authorization": "Bearer " + "A" * 43, **json_type}
        refusals = {  # what is sent -> (method, path, headers, body, the status that must come back)
            "forged token": ("POST", path, forged, b'{"text": "hi"}', 404),
            "no token": ("POST", path, json_type, b'{"text": "hi"}', 401),
            "empty text": ("POST", path, bearer, b'{"text": "   "}', 422),
            "long text": ("POST", path, bearer, b'{"text": "' + b"a" * 1001 + b'"}', 422),
            "malformed json": ("POST", path, bearer, b'{"text": ', 400),
            "unknown booking": ("GET", "/api/v1/bookings/ZZZZ2345", {"Authorization": f"Bearer {token}"}, None, 404),
        }
        kind = random.choice(list(refusals))
        method, url, headers, body, status = refusals[kind]
        with self.client.request(
            method, url, headers=headers, data=body, name=f"refused: {kind}", catch_response=True
        ) as response:
            self._expect(response, status, kind)
