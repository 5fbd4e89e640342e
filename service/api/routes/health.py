"""Probes and metrics: ``/healthz`` (the process answers), ``/readyz`` (database and tagger), ``/metrics``."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..deps import ServicesDep
from ..errors import responses

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: bool
    tagger: bool
    device: str


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}}, summary="Readiness")
async def readyz(services: ServicesDep) -> Response:
    database = await run_in_threadpool(services.database_ready)
    ready = Readiness(
        status="ready" if database else "unavailable",
        database=database,
        tagger=True,
        device=str(services.tagger.device),
    )
    services.metrics.ready.set(1 if database else 0)
    headers = None if database else {"Retry-After": "2"}
    return JSONResponse(ready.model_dump(), status_code=200 if database else 503, headers=headers)


@router.get("/metrics", responses={200: {"content": {"text/plain": {}}}, **responses(429)}, summary="Prometheus")
async def metrics(services: ServicesDep) -> Response:
    return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)
