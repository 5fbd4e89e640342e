"""An ensemble merged into one block-diagonal network answers as its averaged members do."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from model import Tagger, TaggerConfig, TrainConfig, read_corpus, train
from model.ensemble import EnsembleNetwork
from model.merged import MergedMembers, can_merge
from model.onnx_core import _Unpadded

from .conftest import FAST, SMALL


@pytest.mark.parametrize(
    "options",
    [dict(cell="lstm"), dict(cell="gru", layers=2), dict(cell="elman", bidirectional=False)],
    ids=["lstm", "gru-2-layers", "elman-unidirectional"],
)
def test_merged_members_equal_the_averaged_members(flights_dir: Path, options: dict) -> None:
    corpus = read_corpus(flights_dir)
    config = TaggerConfig(**{**SMALL, **options})
    members = [
        train(corpus, config, TrainConfig(epochs=1, seed=s, **FAST), torch.device("cpu")).tagger for s in (1, 2, 3)
    ]
    ensemble = EnsembleNetwork([m.network for m in members]).eval()
    merged = MergedMembers(ensemble).eval()
    x = torch.randn(4, 7, ensemble.encoder.output_dim)
    with torch.no_grad():
        expected_slots, expected_intents = _Unpadded(ensemble)(x)
        slots, intents = merged(x)
    assert torch.allclose(slots, expected_slots, atol=1e-5) and torch.allclose(intents, expected_intents, atol=1e-6)


def test_only_softmax_ensembles_of_fused_cells_merge(small_tagger: Tagger) -> None:
    assert not can_merge(small_tagger.network)  # one network is no ensemble
    with pytest.raises(ValueError, match="only an ensemble"):
        MergedMembers(small_tagger.network)  # type: ignore[arg-type]
