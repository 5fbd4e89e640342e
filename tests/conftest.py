"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.synthetic import flights_corpus


@pytest.fixture(autouse=True, scope="session")
def _few_threads() -> None:
    """Two CPU threads at most: the tests run beside other work on small machines."""
    torch.set_num_threads(min(2, torch.get_num_threads()))


@pytest.fixture(scope="session")
def flights_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small ATIS-layout corpus (train/ and dev/) of generated flight requests."""
    return flights_corpus(tmp_path_factory.mktemp("flights"))
