"""Simulated customers for ``bench/load.py`` (run by locust, headless).

``Customer`` books a flight the way a widget user does: start a conversation, say where
and when, confirm. ``BareClient`` hits a bare FastAPI endpoint, the baseline the chat's
throughput is compared with. ``THINK_SECONDS`` (environment) sets a pause between a
customer's messages; 0 means back to back.
"""

from __future__ import annotations

import os
import random
import uuid

from locust import FastHttpUser, between, constant, task

CITIES = ["boston", "denver", "taipei", "san francisco", "chicago", "seattle", "atlanta", "miami", "dallas"]
MONTHS = ["january", "february", "march", "april", "may", "june"]
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
