"""What the API holds for its lifetime: settings, database, tagger, manager, limits, metrics.

Built in the app's lifespan (the tagger loads once, at start-up), reached by routes
through ``deps``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, text

from model import Parse, Tagger

from ..inference import TaggerBatcher
from ..manager import DialogueManager
from ..settings import Settings
from ..storage.database import READ_ONLY
from .metrics import Metrics
from .ratelimit import RateLimits

__all__ = ["Services", "ThreadParser"]


class ThreadParser:
    """The manager's synchronous ``parse``, served by the async batcher from worker threads."""

    def __init__(self, batcher: TaggerBatcher, loop: asyncio.AbstractEventLoop) -> None:
        self.batcher = batcher
        self.loop = loop

    def parse(self, texts: Sequence[str]) -> list[Parse]:
        futures = [asyncio.run_coroutine_threadsafe(self.batcher.parse(t), self.loop) for t in texts]
        return [f.result() for f in futures]


@dataclass
class Services:
    settings: Settings
    engine: Engine
    tagger: Tagger
    batcher: TaggerBatcher
    manager: DialogueManager
    limits: RateLimits
    metrics: Metrics
    clock: Callable[[], dt.datetime]

    def database_ready(self) -> bool:
        try:
            with self.engine.connect().execution_options(**READ_ONLY) as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False
