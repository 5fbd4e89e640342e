"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc``, served offline.

FastAPI's own pages fetch their bundles from a CDN and start them with an inline script; the
service's Content-Security-Policy (``script-src 'self'``) blocks both, and a deployment may
have no internet at all. Here the bundles come from the ``fastapi-offline`` package (Swagger UI
and ReDoc, vendored and released on PyPI), each page starts its bundle with a small script of
ours from ``service/static/docs``, and only the docs pages get the two allowances those bundles
need (``blob:`` workers for ReDoc's search; data: images are allowed on every page). The one
address outside the service that a bundle reaches for, ReDoc's attribution logo on a CDN, is
served as an empty image instead (the browser test fails if a page ever reaches out again).
"""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable

from fastapi import APIRouter, HTTPException, Request, Response

__all__ = ["DOCS_POLICY", "router"]

router = APIRouter(include_in_schema=False)

DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_VENDOR = "fastapi_offline"  # its static/ folder holds the bundles; nothing of its code is used
_ASSETS: dict[str, tuple[str, str]] = {  # name in the URL -> (package, path in it), media type
    "swagger-ui-bundle.js": (f"{_VENDOR}:static/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": (f"{_VENDOR}:static/swagger-ui.css", "text/css; charset=utf-8"),
    "redoc.standalone.js": (f"{_VENDOR}:static/redoc.standalone.js", "text/javascript; charset=utf-8"),
    "favicon.png": (f"{_VENDOR}:static/favicon.png", "image/png"),
    "swagger-init.js": ("service:static/docs/swagger-init.js", "text/javascript; charset=utf-8"),
    "redoc-init.js": ("service:static/docs/redoc-init.js", "text/javascript; charset=utf-8"),
}  # fmt: skip

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{assets}/favicon.png">
{head}
</head>
<body>
<div id="{root}"></div>
<script src="{assets}/{bundle}"></script>
<script src="{assets}/{init}" data-openapi-url="{openapi}" data-root="{root}"></script>
</body>
</html>
"""


# ReDoc 2.x draws its logo from cdn.redoc.ly unconditionally (no option turns it off)
_OUTSIDE = {"redoc.standalone.js": (b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:image/svg+xml,%3Csvg/%3E")}


def _file(location: str) -> Traversable:
    package, path = location.split(":", 1)
    return resources.files(package).joinpath(*path.split("/"))


@functools.cache
def _asset_bytes(name: str) -> bytes:
    content = _file(_ASSETS[name][0]).read_bytes()
    if name in _OUTSIDE:
        content = content.replace(*_OUTSIDE[name])
    return content


def _page(request: Request, *, title: str, bundle: str, init: str, root: str, head: str = "") -> Response:
    prefix = request.scope.get("root_path", "")
    html = _PAGE.format(
        title=f"{request.app.title} - {title}", assets=f"{prefix}/docs/assets", head=head, bundle=bundle,
        init=init, root=root, openapi=f"{prefix}{request.app.openapi_url}",
    )  # fmt: skip
    return Response(html, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": DOCS_POLICY})


@router.get("/docs")
async def swagger_ui(request: Request) -> Response:
    head = f'<link rel="stylesheet" href="{request.scope.get("root_path", "")}/docs/assets/swagger-ui.css">'
    return _page(
        request, title="Swagger UI", bundle="swagger-ui-bundle.js", init="swagger-init.js", root="swagger-ui",
        head=head,
    )  # fmt: skip


@router.get("/redoc")
async def redoc(request: Request) -> Response:
    return _page(request, title="ReDoc", bundle="redoc.standalone.js", init="redoc-init.js", root="redoc")


@router.get("/docs/assets/{name}")
async def asset(name: str) -> Response:
    known = _ASSETS.get(name)
    if known is None:
        raise HTTPException(404, f"no documentation asset called {name!r}")
    return Response(_asset_bytes(name), media_type=known[1], headers={"Cache-Control": "public, max-age=86400"})
