"""Rate limits per client address and per conversation, with the ``limits`` library.

A moving window in memory by default (each process counts for itself); point
``TICKETBOT_RATE_LIMIT_STORAGE`` at Redis to share the counts between replicas.
"""

from __future__ import annotations

import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

__all__ = ["RateLimits"]


class RateLimits:
    def __init__(self, *, client: str, conversation: str, storage: str = "memory://") -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self._client: RateLimitItem = parse(client)
        self._conversation: RateLimitItem = parse(conversation)

    def _hit(self, item: RateLimitItem, key: str) -> int | None:
        """None if allowed, else the seconds to wait before trying again."""
        if self._limiter.hit(item, key):
            return None
        reset = self._limiter.get_window_stats(item, key).reset_time
        return max(1, int(reset - time.time()) + 1)

    def client(self, address: str) -> int | None:
        return self._hit(self._client, f"client:{address}")

    def conversation(self, conversation_id: str) -> int | None:
        return self._hit(self._conversation, f"conversation:{conversation_id}")
