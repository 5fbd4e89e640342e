"""A small tagger trained once per session on the synthetic corpus, shared by tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from model import Tagger, TaggerConfig, TrainConfig, read_corpus, save_checkpoint, train

SMALL = dict(word_dim=24, hash_buckets=512, hash_dim=16, char_dim=8, char_filters=16, hidden_size=32)
# small batches and a larger step: a few hundred sentences learn in a few epochs
FAST = dict(batch_size=8, learning_rate=5e-3)


@pytest.fixture(scope="session")
def small_config() -> TaggerConfig:
    return TaggerConfig(**SMALL)


@pytest.fixture(scope="session")
def trained(flights_dir: Path, small_config: TaggerConfig, tmp_path_factory: pytest.TempPathFactory):
    """(tagger, checkpoint path) of a softmax BiLSTM trained for a few epochs."""
    result = train(read_corpus(flights_dir), small_config, TrainConfig(epochs=12, seed=3, **FAST), torch.device("cpu"))
    path = tmp_path_factory.mktemp("ckpt") / "small.pt"
    save_checkpoint(result.tagger.to_checkpoint(), path)
    return result.tagger, path


@pytest.fixture(scope="session")
def small_tagger(trained) -> Tagger:
    return trained[0]
