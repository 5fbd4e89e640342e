"""Per-request plumbing: a request id, one JSON log line with the latency, metrics, security headers.

Written as pure ASGI middleware (not ``BaseHTTPMiddleware``) so it adds no task per
request and streams nothing twice.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response
from .metrics import Metrics

__all__ = ["MAX_BODY_BYTES", "RequestContext", "SECURITY_HEADERS"]

MAX_BODY_BYTES = 64 * 1024  # a message is at most 1000 characters; nothing legitimate comes near this

log = logging.getLogger("ticketbot.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
# the demo page: our script and styles only, API calls to ourselves
_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


UNMATCHED = "unmatched"
_MAX_LOGGED_PATH = 200


def _route_of(scope: Scope) -> str:
    """The route's template ("/api/v1/conversations/{conversation_id}"), never the raw path with ids."""
    route = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class RequestContext:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        receive, refusal = await _limit_body(scope, receive)

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra: dict[str, str] = {**SECURITY_HEADERS, "x-request-id": request_id}
                if b"content-security-policy" not in present:
                    extra["content-security-policy"] = _PAGE_POLICY
                if scope["path"] == "/widget.js":  # embedded by other sites' pages
                    extra["cross-origin-resource-policy"] = "cross-origin"
                headers.extend((k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present)
                message["headers"] = headers
            await send(message)

        try:
            if refusal is not None:
                await refusal(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_of(scope)
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            extra: dict[str, Any] = {
                "request_id": request_id, "method": method, "route": route, "status": status,
                "latency_ms": round(1000 * elapsed, 2), "client": (scope.get("client") or ("-", 0))[0],
            }  # fmt: skip
            if route == UNMATCHED:
                # which path missed is what an operator needs (a wrong proxy prefix, a scanner);
                # the metrics keep the one bounded label, the log line carries the path, cut short
                extra["path"] = scope["path"][:_MAX_LOGGED_PATH]
            log.info("%s %s %s", method, route, status, extra=extra)


async def _limit_body(scope: Scope, receive: Receive) -> tuple[Receive, ASGIApp | None]:
    """Refuse bodies over ``MAX_BODY_BYTES`` with a 413 before the app reads them.

    A declared length is checked as it is; a chunked body is read here (up to the limit)
    and replayed to the app.
    """
    headers = dict(scope.get("headers") or [])
    declared = headers.get(b"content-length")
    if declared is not None:
        if not declared.isdigit():
            return receive, error_response(400, "bad_request", "invalid Content-Length header")
        if int(declared) > MAX_BODY_BYTES:
            return receive, _too_large()
        return receive, None
    if headers.get(b"transfer-encoding", b"").lower() != b"chunked":
        return receive, None
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if size > MAX_BODY_BYTES:
            return receive, _too_large()
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay, None


def _too_large() -> ASGIApp:
    return error_response(413, "too_large", f"the request body is larger than {MAX_BODY_BYTES} bytes")
