"""Fixtures for the deployment tests: fresh PostgreSQL databases and the package as the image installs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.service.conftest import postgres  # noqa: F401  (the same fresh-database factory)

from .support import build_wheel, unpack


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ticketbot's wheel, built from the files the Dockerfile copies."""
    return build_wheel(tmp_path_factory.mktemp("image-build"))


@pytest.fixture(scope="session")
def site_packages(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked: what the image's virtual environment holds of ticketbot."""
    return unpack(wheel, tmp_path_factory.mktemp("site-packages"))
