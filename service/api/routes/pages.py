"""The demo page (``/``) and the embeddable widget (``/widget.js``), served from ``service/static``."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Response

router = APIRouter(include_in_schema=False)


def _static(name: str) -> bytes:
    return (resources.files("service") / "static" / name).read_bytes()


@router.get("/")
async def demo_page() -> Response:
    return Response(_static("index.html"), media_type="text/html; charset=utf-8")


@router.get("/widget.js")
async def widget() -> Response:
    return Response(
        _static("widget.js"),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )
