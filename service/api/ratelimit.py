"""Rate limits per client address and per conversation: sliding-window counters.

Limits are written in the ``limits`` library's syntax (``120/minute``) and counted with
its sliding-window-counter strategy in Redis when ``TICKETBOT_RATE_LIMIT_STORAGE`` points
there (replicas share the counts). In one process' memory (the default) they are counted
here instead: ``limits``' memory storage sweeps every key it holds a hundred times a
second while requests arrive, so with a key per conversation its cost grows with the
number of recent conversations (at 130 requests/s it took a seventh of the server's
CPU). These counters are the same arithmetic, kept in a dict and swept once a window.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

__all__ = ["LocalWindows", "RateLimits"]


def _wait_seconds(item: RateLimitItem, now: float, current: int, previous: int) -> float:
    """How long until one more hit fits, given the counts of this window and the one before."""
    window = item.get_expiry()
    into = (now % window) / window  # share of the current window gone by
    room = item.amount - 1 - current  # what the previous window's weighted count may still be
    if room >= 0 and previous > 0:
        # previous * (1 - t) <= room  <=>  t >= 1 - room / previous (never negative: callers ask
        # only when the hit did not fit, but rounding may say otherwise)
        return max(0.0, (1 - room / previous - into) * window)
    # this window alone is full: at the next one, this window's count becomes the weighted one
    until_next = (1 - into) * window
    room = item.amount - 1
    if current > 0 and room < current:
        return until_next + (1 - room / current) * window
    return until_next


class LocalWindows:
    """Sliding-window counters for one process: per key, the current window's index and the
    counts of it and of the window before; the weighted count is
    ``previous * (share of the current window still to go) + current``."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[tuple[int, str], tuple[int, int, int]] = {}  # (expiry, key) -> (index, current, previous)
        self._next_sweep = 0.0

    def hit(self, item: RateLimitItem, key: str) -> float | None:
        """Count a hit and return None, or, when the limit is reached, count nothing and
        return the seconds to wait."""
        window = item.get_expiry()
        now = self._clock()
        index = int(now // window)
        slot = (window, key)
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            last, current, previous = self._counts.get(slot, (index, 0, 0))
            if last != index:
                previous = current if last == index - 1 else 0
                current = 0
            weighted = previous * (1 - (now % window) / window) + current
            if weighted + 1 > item.amount:
                self._counts[slot] = (index, current, previous)
                return _wait_seconds(item, now, current, previous)
            self._counts[slot] = (index, current + 1, previous)
            return None

    def _sweep(self, now: float) -> None:
        """Forget keys that count nothing any more (no hit in this window or the one before)."""
        self._counts = {
            slot: counts for slot, counts in self._counts.items() if counts[0] >= int(now // slot[0]) - 1
        }
        self._next_sweep = now + 10.0

    def __len__(self) -> int:
        return len(self._counts)


class RateLimits:
    def __init__(self, *, client: str, conversation: str, storage: str = "memory://") -> None:
        self._client: RateLimitItem = parse(client)
        self._conversation: RateLimitItem = parse(conversation)
        self.shared = not storage.startswith("memory://")
        if self.shared:
            self._limiter = SlidingWindowCounterRateLimiter(storage_from_string(storage))
        else:
            self._local = LocalWindows()

    def _hit(self, item: RateLimitItem, key: str) -> int | None:
        """None if allowed, else the whole seconds to wait before trying again (at least 1)."""
        if not self.shared:
            wait = self._local.hit(item, key)
            return None if wait is None else max(1, math.ceil(wait))
        if self._limiter.hit(item, key):
            return None
        reset = self._limiter.get_window_stats(item, key).reset_time
        return max(1, math.ceil(reset - time.time()))

    def client(self, address: str) -> int | None:
        return self._hit(self._client, f"client:{address}")

    def conversation(self, conversation_id: str) -> int | None:
        return self._hit(self._conversation, f"conversation:{conversation_id}")
