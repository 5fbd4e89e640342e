"""Training: every cell learns the tiny corpus, runs repeat for a seed, and the lecture's claim."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch

from model import TaggerConfig, TrainConfig, is_valid_bio, read_corpus, train
from model.jordan import reverse_padded
from tests.synthetic import CITIES, arrive_leave_sentence, write_split

from .conftest import FAST, SMALL

CPU = torch.device("cpu")


@pytest.mark.parametrize(
    "options",
    [
        dict(cell="lstm", crf=True),
        dict(cell="gru", bidirectional=False),
        dict(cell="elman", layers=2),
        dict(cell="jordan", epochs=14),  # feeding back a distribution learns more slowly
        dict(cell="lstm", layers=2, encoders=("hash",)),
        dict(cell="lstm", encoders=("char",), epochs=12),
    ],
    ids=["lstm-crf", "gru-uni", "elman-2layers", "jordan", "hash-only", "char-only"],
)
def test_each_variant_learns_the_tiny_corpus(flights_dir: Path, options: dict) -> None:
    options = dict(options)
    epochs = options.pop("epochs", 8)
    config = TaggerConfig(**{**SMALL, **options})
    result = train(read_corpus(flights_dir), config, TrainConfig(epochs=epochs, seed=1, patience=epochs, **FAST), CPU)
    assert result.dev_metrics["slot_f1"] > 0.85, result.history
    assert result.history[0].loss > result.history[-1].loss
    [parse] = result.tagger.parse("show me flights from boston to denver")
    assert is_valid_bio(parse.tags)


def test_training_is_deterministic_for_a_seed(flights_dir: Path) -> None:
    corpus = read_corpus(flights_dir)
    config = TaggerConfig(**SMALL)
    runs = [train(corpus, config, TrainConfig(epochs=2, seed=5, **FAST), CPU) for _ in range(2)]
    first, second = (r.tagger.network.state_dict() for r in runs)
    assert all(torch.equal(first[k], second[k]) for k in first)
    assert [h.loss for h in runs[0].history] == [h.loss for h in runs[1].history]
    different = train(corpus, config, TrainConfig(epochs=2, seed=6, **FAST), CPU).tagger.network.state_dict()
    assert not all(torch.equal(first[k], different[k]) for k in first)


def test_early_stopping_keeps_the_best_epoch(flights_dir: Path) -> None:
    result = train(
        read_corpus(flights_dir), TaggerConfig(**SMALL), TrainConfig(epochs=30, patience=2, seed=2, **FAST), CPU
    )
    f1s = [h.dev_slot_f1 for h in result.history]
    assert result.dev_metrics["slot_f1"] == max(f1s)
    assert len(f1s) - result.best_epoch <= 2  # stopped after `patience` epochs without improvement
    assert result.stopped_by == "patience" and result.tagger.card["stopped_by"] == "patience"


def test_a_time_budget_stops_before_an_epoch_that_would_overrun_it(flights_dir: Path) -> None:
    corpus, config = read_corpus(flights_dir), TaggerConfig(**SMALL)
    spent = train(corpus, config, TrainConfig(epochs=5, patience=5, seed=2, max_seconds=1e-3, **FAST), CPU)
    assert len(spent.history) == 1 and spent.best_epoch == 1  # the first epoch alone took longer than 1 ms
    assert spent.stopped_by == "time limit" and spent.tagger.card["stopped_by"] == "time limit"
    assert spent.tagger.to_checkpoint().card["stopped_by"] == "time limit"
    ample = train(corpus, config, TrainConfig(epochs=3, patience=3, seed=2, max_seconds=3600, **FAST), CPU)
    assert len(ample.history) == 3 and ample.stopped_by == "epochs"


@pytest.mark.parametrize("seconds", [0, -5])
def test_a_time_budget_must_be_positive(seconds: float) -> None:
    with pytest.raises(ValueError, match="max_seconds"):
        TrainConfig(max_seconds=seconds)


def test_reverse_padded() -> None:
    x = torch.arange(8.0).reshape(2, 4, 1)
    out = reverse_padded(x, torch.tensor([4, 2]))
    assert out[:, :, 0].tolist() == [[3, 2, 1, 0], [5, 4, 6, 7]]


def _city_role_accuracy(tagger, sentences) -> float:
    """Share of cities whose first token gets the right role (destination or origin)."""
    right = total = 0
    parses = tagger.parse([[token for token, _ in s] for s, _ in sentences])
    for (tagged, _), parse in zip(sentences, parses, strict=True):
        for (_, gold), predicted in zip(tagged, parse.tags, strict=True):
            if gold.startswith("B-") and gold.endswith("loc.city_name"):
                total += 1
                right += predicted == gold
    return right / total


def test_memory_tells_arrive_from_leave(tmp_path: Path) -> None:
    """The lecture's central claim: "arrive X" makes X the destination and "leave X" the origin.

    Every city appears equally often after both verbs, in training and in the test set,
    so the word alone says nothing about its role. A recurrent tagger learns the role from
    the verb it remembers; a memoryless per-word classifier with the same features gives a
    city one answer whatever came before it, so it can be right at most half the time.
    """
    rng = random.Random(11)
    cities = CITIES[:14]

    def sentences(repeat: int) -> list:
        return [arrive_leave_sentence(v, c, rng) for c in cities for v in ("arrive", "leave") for _ in range(repeat)]

    folder = tmp_path / "arrive_leave"
    write_split(folder / "train", sentences(6))
    write_split(folder / "dev", sentences(1))
    corpus = read_corpus(folder)
    test = sentences(3)

    recurrent = train(corpus, TaggerConfig(**SMALL), TrainConfig(epochs=10, seed=4, **FAST), CPU).tagger
    memoryless_config = TaggerConfig(**{**SMALL, "cell": "feedforward"})
    memoryless = train(corpus, memoryless_config, TrainConfig(epochs=10, seed=4, **FAST), CPU).tagger

    assert _city_role_accuracy(recurrent, test) == 1.0
    assert _city_role_accuracy(memoryless, test) <= 0.5
    arrive, leave = recurrent.parse(["arrive denver on november second", "leave denver on november second"])
    assert arrive.tags[1] == "B-toloc.city_name" and leave.tags[1] == "B-fromloc.city_name"
    assert arrive.tags[3] == "B-arrive_date.month_name" and leave.tags[3] == "B-depart_date.month_name"
