"""The tagger in the service: micro-batching, and warming the dialogue up before the first customer.

A recurrent tagger costs about the same for one sentence as for thirty, so under load
the service collects the messages that arrive within a short window (``max_wait``) or
until ``max_batch`` are waiting, tags them in one call on a worker thread (the event
loop never runs the network), and hands each caller its own parse. With no
concurrency, a lone request waits at most ``max_wait``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from model import Parse, Tagger

from .dialogue import next_turn, opening

__all__ = ["BatchObserver", "Parser", "TaggerBatcher", "warm_up"]


class Parser(Protocol):
    """Anything that tags messages like ``model.Tagger`` (the API's is a batching one)."""

    def parse(self, texts: Sequence[str]) -> list[Parse]: ...


_WARM_UP = (
    "i want to arrive in taipei on nov. 2nd by 5 pm", "leave boston tomorrow morning", "actually the 3rd", "yes",
)  # fmt: skip


def warm_up(parser: Parser, now: dt.datetime) -> None:
    """Tag and answer a few messages without storing anything, so the first customers do not
    pay for what loads on first use (date parsing's language data, ONNX Runtime's first run):
    cold, the first turns took over a second; warm, 5 ms."""
    state, _ = opening()
    for parse in parser.parse(list(_WARM_UP)):
        state, _ = next_turn(state, parse, now, reference="WARMUP00")

# (batch size, seconds the tagger took) -> None; the API feeds its metrics with it
BatchObserver = Callable[[int, float], None]


class TaggerBatcher:
    def __init__(
        self,
        tagger: Tagger,
        *,
        max_batch: int = 32,
        max_wait: float = 0.002,
        observer: BatchObserver | None = None,
    ) -> None:
        if max_batch < 1 or max_wait < 0:
            raise ValueError("max_batch must be positive and max_wait not negative")
        self.tagger = tagger
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.observer = observer
        self._queue: asyncio.Queue[tuple[str, asyncio.Future[Parse]]] | None = None
        self._worker: asyncio.Task[None] | None = None
        # one thread: the network runs one batch at a time, with torch's own intra-op threads
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tagger")

    async def start(self) -> None:
        if self._worker is None:
            self._queue = asyncio.Queue()
            self._worker = asyncio.create_task(self._run(), name="tagger-batcher")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
        if self._queue is not None:  # nobody will answer what is still queued
            while not self._queue.empty():
                _, future = self._queue.get_nowait()
                if not future.done():
                    future.set_exception(RuntimeError("the tagger is shutting down"))
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def parse(self, text: str) -> Parse:
        """Tag one message, batched with whatever else is waiting."""
        if self._queue is None:
            raise RuntimeError("TaggerBatcher.start() was not called")
        future: asyncio.Future[Parse] = asyncio.get_running_loop().create_future()
        await self._queue.put((text, future))
        return await future

    async def _run(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            deadline = loop.time() + self.max_wait
            while len(batch) < self.max_batch:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), remaining))
                except TimeoutError:
                    break
            await self._tag(batch)

    async def _tag(self, batch: Sequence[tuple[str, asyncio.Future[Parse]]]) -> None:
        texts = [text for text, _ in batch]
        started = time.perf_counter()
        try:
            parses = await asyncio.get_running_loop().run_in_executor(self._executor, self.tagger.parse, texts)
        except Exception as error:  # the callers get the error, the worker keeps serving
            if len(batch) > 1:  # one message must not fail the others: tag them one at a time
                for item in batch:
                    await self._tag([item])
                return
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        if self.observer is not None:
            self.observer(len(batch), time.perf_counter() - started)
        for (_, future), parse in zip(batch, parses, strict=True):
            if not future.done():
                future.set_result(parse)
