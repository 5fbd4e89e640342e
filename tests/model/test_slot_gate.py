"""The slot gate: the pooled sentence (what the intent head sees) scales each token's state
before the slot head. Off, a network is exactly the one trained before the gate existed."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from model import Tagger, TaggerConfig, TrainConfig, read_corpus, save_checkpoint, train
from model.card import render_card
from model.ensemble import EnsembleNetwork
from model.merged import can_merge
from model.network import SlotIntentNetwork

from .conftest import FAST, SMALL

TAGS = ["O", "B-toloc.city_name", "I-toloc.city_name", "B-fromloc.city_name"]


def _network(slot_gate: bool, seed: int = 0) -> SlotIntentNetwork:
    torch.manual_seed(seed)
    config = TaggerConfig(**SMALL, slot_gate=slot_gate)
    return SlotIntentNetwork(config, words=50, chars=30, tags=TAGS, intents=3).eval()


def test_off_the_network_is_the_one_before_the_gate() -> None:
    """No gate parameters, and the same initial weights from the same seed: a recipe without
    the gate trains the model it trained before."""
    plain, gated = _network(False).state_dict(), _network(True).state_dict()
    assert not any(key.startswith("gate_") for key in plain)
    assert {key for key in gated if key.startswith("gate_")} == {
        "gate_sentence.weight", "gate_sentence.bias", "gate_vector.weight",
    }  # fmt: skip
    shared = [key for key in plain if key in gated]
    assert shared == list(plain)
    assert all(torch.equal(plain[k], gated[k]) for k in shared)


def test_the_gate_scales_each_state_by_the_sentence() -> None:
    network = _network(True)
    hidden = torch.randn(2, 5, network.recurrent.output_dim)
    with torch.no_grad():
        gated, intents = network.heads(hidden)
        pooled = torch.cat([hidden.max(dim=1).values, hidden.mean(dim=1)], dim=-1)
        gate = network.gate_vector(torch.tanh(hidden + network.gate_sentence(pooled)[:, None, :]))
        assert torch.allclose(gated, network.slot_head(hidden * (1 + gate)), atol=1e-6)
        assert torch.allclose(intents, network.intent_head(pooled))
        network.gate_vector.weight.zero_()  # a closed gate: the plain slot head
        assert torch.allclose(network.heads(hidden)[0], network.slot_head(hidden), atol=1e-6)


def test_padding_does_not_reach_the_gate() -> None:
    """The gate pools over real tokens only: a sentence scores the same alone and padded."""
    network = _network(True)
    hidden = torch.randn(1, 4, network.recurrent.output_dim)
    padded = torch.cat([hidden, 100 * torch.randn(1, 3, network.recurrent.output_dim)], dim=1)
    mask = torch.tensor([[True] * 4 + [False] * 3])
    with torch.no_grad():
        alone, intent_alone = network.heads(hidden)
        inside, intent_inside = network.heads(padded, mask)
    assert torch.allclose(alone, inside[:, :4], atol=1e-5) and torch.allclose(intent_alone, intent_inside, atol=1e-5)


@pytest.fixture(scope="module")
def gated(flights_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = read_corpus(flights_dir)
    config, training = TaggerConfig(**SMALL, slot_gate=True), TrainConfig(epochs=4, seed=2, **FAST)
    result = train(corpus, config, training, torch.device("cpu"))
    path = tmp_path_factory.mktemp("gated") / "gated.pt"
    save_checkpoint(result.tagger.to_checkpoint(), path)
    return path


def test_a_gated_tagger_learns_saves_and_answers_alike_on_onnx_runtime(gated: Path) -> None:
    plain = Tagger.load(gated, device="cpu", accelerate=False)
    fast = Tagger.load(gated, device="cpu")
    assert plain.config.slot_gate and fast.accelerate() and fast._onnx is not None
    [parse] = plain.parse("show me flights from boston to denver")
    assert [(s.slot, s.text) for s in parse.spans] == [("fromloc.city_name", "boston"), ("toloc.city_name", "denver")]
    for text in ["show me flights from boston to denver", "leave kansas city on may fifth", "fly to salt lake city"]:
        [a], [b] = plain.parse(text), fast.parse(text)
        assert a.tags == b.tags and a.intent == b.intent
        assert [s.confidence for s in a.spans] == pytest.approx([s.confidence for s in b.spans], abs=1e-4)
    assert "gated by the pooled sentence" in render_card(plain.to_checkpoint())


def test_a_gated_ensemble_is_not_merged(gated: Path) -> None:
    tagger = Tagger.load(gated, device="cpu", accelerate=False)
    assert not can_merge(EnsembleNetwork([tagger.network, tagger.network]))
