"""Ensembles average their members' probabilities; distillation teaches one network from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from model import Tagger, TaggerConfig, TrainConfig, load_checkpoint, read_corpus, save_checkpoint, train
from model.ensemble import combine

from .conftest import FAST, SMALL

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def members(flights_dir: Path) -> list[Tagger]:
    corpus = read_corpus(flights_dir)
    return [train(corpus, TaggerConfig(**SMALL), TrainConfig(epochs=4, seed=s, **FAST), CPU).tagger for s in (1, 2)]


def test_ensemble_averages_member_probabilities(members: list[Tagger], tmp_path: Path) -> None:
    path = tmp_path / "ensemble.pt"
    save_checkpoint(combine([m.to_checkpoint() for m in members]), path)
    ensemble = Tagger.load(path, device="cpu")
    assert len(ensemble.members()) == 2 and len(load_checkpoint(path).state_dicts) == 2
    sentences = [["show", "me", "flights", "from", "boston", "to", "denver"], ["leave", "dallas"]]
    emissions, intents = ensemble._scores(sentences)
    member_scores = [m._scores(sentences) for m in members]
    expected_slots = np.mean([np.exp(e) for e, _ in member_scores], axis=0)
    expected_intents = np.mean([p for _, p in member_scores], axis=0)
    for row, sentence in enumerate(sentences):
        n = len(sentence)
        assert np.allclose(np.exp(emissions[row, :n]), expected_slots[row, :n], atol=1e-5)
    assert np.allclose(intents, expected_intents, atol=1e-5)
    [parse] = ensemble.parse("show me flights from boston to denver")
    assert {s.slot for s in parse.spans} == {"fromloc.city_name", "toloc.city_name"}


def test_only_alike_softmax_taggers_combine(members: list[Tagger], flights_dir: Path) -> None:
    corpus = read_corpus(flights_dir)
    other = train(corpus, TaggerConfig(**{**SMALL, "hidden_size": 16}), TrainConfig(epochs=1, **FAST), CPU).tagger
    with pytest.raises(ValueError, match="differ in configuration"):
        combine([members[0].to_checkpoint(), other.to_checkpoint()])
    crf = train(corpus, TaggerConfig(**{**SMALL, "crf": True}), TrainConfig(epochs=1, **FAST), CPU).tagger
    with pytest.raises(ValueError, match="CRF"):
        combine([crf.to_checkpoint(), crf.to_checkpoint()])


def test_distillation_from_an_ensemble(members: list[Tagger], flights_dir: Path) -> None:
    corpus = read_corpus(flights_dir)
    teacher = Tagger.from_checkpoint(combine([m.to_checkpoint() for m in members]), device="cpu")
    config = TrainConfig(epochs=6, seed=9, distill_weight=0.5, **FAST)
    student = train(corpus, TaggerConfig(**SMALL), config, CPU, teacher=teacher)
    assert student.dev_metrics["slot_f1"] > 0.8
    assert len(student.tagger.members()) == 1
    with pytest.raises(ValueError, match=r"labels differ|softmax"):
        train(corpus, TaggerConfig(**{**SMALL, "encoders": ("onehot",)}), config, CPU, teacher=teacher)


def test_ensemble_on_onnx_runtime_averages_too(members: list[Tagger]) -> None:
    ensemble = Tagger.from_checkpoint(combine([m.to_checkpoint() for m in members]), device="cpu")
    sentence = [["show", "me", "flights", "from", "boston", "to", "denver"]]
    slow = ensemble._scores(sentence)
    assert ensemble.accelerate()
    fast = ensemble._scores(sentence)
    assert np.allclose(slow[0], fast[0], atol=1e-4) and np.allclose(slow[1], fast[1], atol=1e-5)
