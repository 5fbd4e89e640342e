"""Micro-batching: concurrent parses share tagger calls and get their own answers."""

from __future__ import annotations

import asyncio

import pytest

from model import Tagger
from service.inference import TaggerBatcher


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.load(device="cpu")


def test_concurrent_requests_are_batched_and_answered_in_kind(tagger: Tagger) -> None:
    texts = [f"flights from boston to denver on june {d}" for d in ("first", "second", "third", "fourth")] * 5
    texts += ["show me ground transportation in dallas", "leave taipei on november 2nd"]
    batches: list[int] = []

    async def scenario() -> list:
        batcher = TaggerBatcher(tagger, max_batch=8, max_wait=0.05, observer=lambda n, s: batches.append(n))
        await batcher.start()
        try:
            return await asyncio.gather(*(batcher.parse(t) for t in texts))
        finally:
            await batcher.stop()

    parses = asyncio.run(scenario())
    expected = tagger.parse(texts)
    assert [p.tags for p in parses] == [p.tags for p in expected]
    assert [p.intent for p in parses] == [p.intent for p in expected]
    assert sum(batches) == len(texts)
    assert max(batches) == 8 and len(batches) < len(texts)  # several messages per tagger call


def test_a_lone_request_is_answered_without_company(tagger: Tagger) -> None:
    async def scenario() -> str:
        batcher = TaggerBatcher(tagger, max_batch=32, max_wait=0.01)
        await batcher.start()
        try:
            return (await batcher.parse("fly to boston")).tags[-1]
        finally:
            await batcher.stop()

    assert asyncio.run(scenario()) == "B-toloc.city_name"


def test_errors_reach_the_callers_and_the_worker_survives(tagger: Tagger) -> None:
    class Flaky:
        calls = 0

        def parse(self, texts):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise RuntimeError("boom")
            return tagger.parse(texts)

    async def scenario() -> str:
        batcher = TaggerBatcher(Flaky(), max_batch=4, max_wait=0.0)  # type: ignore[arg-type]
        await batcher.start()
        try:
            with pytest.raises(RuntimeError, match="boom"):
                await batcher.parse("fly to boston")
            return (await batcher.parse("fly to denver")).spans[0].text
        finally:
            await batcher.stop()

    assert asyncio.run(scenario()) == "denver"


def test_parse_before_start_is_an_error(tagger: Tagger) -> None:
    with pytest.raises(RuntimeError, match="start"):
        asyncio.run(TaggerBatcher(tagger).parse("hello"))
