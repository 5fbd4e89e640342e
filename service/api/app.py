"""The FastAPI application, built by a factory so tests can hand it their own settings and tagger.

Heavy things happen in the lifespan, once per process: the tagger loads (on the GPU when
there is one), the micro-batcher starts, the database engine opens. Nothing is built at
import time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import torch
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from model import Tagger

from ..inference import TaggerBatcher, warm_up
from ..manager import DialogueManager
from ..settings import Settings
from ..storage import make_engine, make_sessions
from .errors import install_error_handlers
from .metrics import Metrics
from .middleware import RequestContext
from .ratelimit import RateLimits
from .routes import bookings, conversations, docs, health, pages
from .services import Services, ThreadParser

__all__ = ["create_app", "serve_app"]

log = logging.getLogger("ticketbot.api")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(
    settings: Settings | None = None,
    *,
    tagger: Tagger | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> FastAPI:
    """The API. ``tagger`` and ``clock`` are for tests; by default the settings say what to load."""
    settings = settings or Settings()
    metrics = Metrics()
    clock = clock or _utcnow

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.torch_threads:
            torch.set_num_threads(settings.torch_threads)
        loaded = tagger or await asyncio.to_thread(Tagger.load, settings.model_path, settings.device)
        batcher = TaggerBatcher(
            loaded, max_batch=settings.batch_max, max_wait=settings.batch_wait_ms / 1000, observer=metrics.observe_batch
        )
        await batcher.start()
        engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
        manager = DialogueManager(sessions=make_sessions(engine), clock=clock, observer=metrics.observe_event)
        # before the first customer (and /readyz) sees it: the batcher serves the warm-up too
        await asyncio.to_thread(warm_up, ThreadParser(batcher, asyncio.get_running_loop()), clock())
        limits = RateLimits(
            client=settings.rate_limit_client,
            conversation=settings.rate_limit_conversation,
            storage=settings.rate_limit_storage,
        )
        app.state.services = Services(settings, engine, loaded, batcher, manager, limits, metrics, clock)
        log.info("ready: tagger on %s, database %s", loaded.device, engine.url.render_as_string(hide_password=True))
        try:
            yield
        finally:
            await batcher.stop()
            engine.dispose()

    app = FastAPI(
        title="ticketbot",
        version="1",
        summary="Book a flight by chatting: a recurrent slot tagger and a dialogue manager behind a JSON API.",
        lifespan=lifespan,
        # FastAPI's own /docs and /redoc load their bundles from a CDN: ours are served offline
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    install_error_handlers(app)
    for router in (conversations.router, bookings.router, health.router, pages.router, docs.router):
        app.include_router(router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
            max_age=600,
        )
    app.add_middleware(RequestContext, metrics=metrics)
    return app


def serve_app() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (each worker process builds its own app)."""
    from .logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(settings)
