"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.synthetic import flights_corpus


@pytest.fixture(autouse=True)
def _few_threads() -> None:
    """One intra-op thread: the tests' tensors are tiny, and several threads fighting over a
    small machine's cores (beside a server process the tests start) only slow them down. Set
    before every test, since a training command run in-process (``train --threads 2``) changes it,
    and once at import (below), since module- and session-scoped fixtures are set up before it."""
    torch.set_num_threads(1)


torch.set_num_threads(1)


@pytest.fixture(scope="session")
def flights_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small ATIS-layout corpus (train/ and dev/) of generated flight requests."""
    return flights_corpus(tmp_path_factory.mktemp("flights"))
