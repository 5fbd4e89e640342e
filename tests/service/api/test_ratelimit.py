"""The in-process sliding-window counters: what they allow, what they refuse, how long they ask to wait."""

from __future__ import annotations

import pytest
from limits import parse

from service.api.ratelimit import LocalWindows, RateLimits


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_window_allows_its_amount_then_refuses_until_the_next_window() -> None:
    clock = Clock(6000.0)  # the start of a one-minute window
    windows = LocalWindows(clock)
    item = parse("3/minute")
    assert [windows.hit(item, "a") for _ in range(3)] == [None, None, None]
    wait = windows.hit(item, "a")
    # three hits in this window: the next fits once the window ends and a third of the next
    # has gone by (3 * (1 - t) + 1 <= 3 -> t >= 1/3)
    assert wait == pytest.approx(60 + 20)
    clock.now += 79
    assert windows.hit(item, "a") is not None
    clock.now += 1.5
    assert windows.hit(item, "a") is None


def test_refused_hits_are_not_counted_and_keys_are_independent() -> None:
    clock = Clock(6000.0)
    windows = LocalWindows(clock)
    item = parse("2/minute")
    windows.hit(item, "a")
    windows.hit(item, "a")
    for _ in range(50):
        assert windows.hit(item, "a") is not None
    assert windows.hit(item, "b") is None
    clock.now += 60 * 2  # two windows later nothing weighs any more: a full allowance again
    results = [windows.hit(item, "a") for _ in range(3)]
    assert results[:2] == [None, None] and results[2] is not None


def test_the_previous_window_weighs_by_the_share_still_to_go() -> None:
    clock = Clock(6000.0)
    windows = LocalWindows(clock)
    item = parse("10/minute")
    for _ in range(10):
        assert windows.hit(item, "a") is None
    clock.now += 60 + 30  # halfway into the next window: the ten weigh five
    allowed = 0
    while windows.hit(item, "a") is None:
        allowed += 1
    assert allowed == 5
    wait = windows.hit(item, "a")
    # ten in the previous window, five in this one: 10 * (1 - t) + 5 + 1 <= 10 -> t >= 0.6
    assert wait == pytest.approx(0.1 * 60)


def test_the_sweep_forgets_keys_that_count_nothing() -> None:
    clock = Clock(6000.0)
    windows = LocalWindows(clock)
    item = parse("5/minute")
    for number in range(100):
        windows.hit(item, f"conversation:{number}")
    assert len(windows) == 100
    clock.now += 60 * 3
    windows.hit(item, "fresh")
    assert len(windows) == 1


def test_rate_limits_answer_whole_seconds_of_at_least_one() -> None:
    limits = RateLimits(client="1/second", conversation="1/minute")
    assert limits.client("10.0.0.1") is None
    wait = limits.client("10.0.0.1")
    assert wait is not None and 1 <= wait <= 2
    assert limits.conversation("c" * 32) is None
    wait = limits.conversation("c" * 32)
    assert wait is not None and 1 <= wait <= 120
