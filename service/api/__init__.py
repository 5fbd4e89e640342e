"""The HTTP API (v1): FastAPI routes over the dialogue manager."""

from __future__ import annotations

from .app import create_app, serve_app

__all__ = ["create_app", "serve_app"]
