"""Training with early stopping on dev slot F1.

The trainer builds vocabularies from the training split, trains the joint network with
Adam, scores dev after each epoch, keeps the best weights and stops once dev slot F1 has
not improved for ``patience`` epochs. For a given seed a CPU run is repeatable: the
weights, dropout and shuffling all draw from generators seeded here.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import torch

from .augment import Augmenter
from .config import TaggerConfig, TrainConfig
from .data import Corpus, Example
from .features import Batch, Featurizer
from .metrics import score
from .network import SlotIntentNetwork
from .provenance import code_version, environment
from .tagger import Tagger
from .vocab import LabelSet, Vocabulary

__all__ = ["EpochReport", "TrainResult", "train"]


@dataclass(frozen=True, slots=True)
class EpochReport:
    epoch: int
    loss: float
    dev_slot_f1: float
    dev_intent_accuracy: float
    dev_sentence_accuracy: float
    seconds: float


@dataclass(slots=True)
class TrainResult:
    tagger: Tagger
    history: list[EpochReport] = field(default_factory=list)
    best_epoch: int = 0
    dev_metrics: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    stopped_by: str = "epochs"  # "epochs", "patience" or "time limit"


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _batches(
    examples: Sequence[Example],
    featurizer: Featurizer,
    tags: LabelSet,
    intents: LabelSet,
    size: int,
    generator: torch.Generator,
) -> list[Batch]:
    """Shuffled batches of similar lengths: a pool of 50 batches is sorted by length before
    it is cut, so little padding is computed, then the batches themselves are shuffled."""
    order = torch.randperm(len(examples), generator=generator).tolist()
    pool = 50 * size
    groups: list[list[int]] = []
    for begin in range(0, len(order), pool):
        chunk = sorted(order[begin : begin + pool], key=lambda i: len(examples[i].tokens))
        groups.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    batches = []
    for position in torch.randperm(len(groups), generator=generator).tolist():
        chunk = [examples[i] for i in groups[position]]
        batch = featurizer([e.tokens for e in chunk])
        gold = torch.full(batch.mask.shape, -100, dtype=torch.long)
        for b, example in enumerate(chunk):
            gold[b, : len(example.tags)] = torch.tensor([tags.index(t) for t in example.tags])
        batch.tags = gold
        batch.intents = torch.tensor([intents.index(e.intent) for e in chunk])
        batches.append(batch)
    return batches


def _check_teacher(
    teacher: Tagger, words: Vocabulary, chars: Vocabulary, tags: LabelSet, intents: LabelSet, config: TaggerConfig
) -> None:
    if config.crf:
        raise ValueError("distillation trains a softmax head: drop --crf")
    same = (
        teacher.featurizer.words.items() == words.items()
        and teacher.tags.labels() == tags.labels()
        and teacher.intents.labels() == intents.labels()
        and teacher.featurizer.chars.items() == chars.items()
    )
    features = ("encoders", "hash_buckets", "max_trigrams", "max_chars")
    same = same and all(getattr(teacher.config, f) == getattr(config, f) for f in features)
    if not same:
        raise ValueError("the teacher was trained on other data or with other encoders: its labels differ")


def _distillation_loss(teacher: Tagger, batch: Batch, output) -> torch.Tensor:
    """Cross-entropy against the teacher's slot (per real token) and intent distributions."""
    with torch.no_grad():
        taught = teacher.network(batch)
        slot_targets = torch.softmax(taught.emissions, dim=-1)
        intent_targets = torch.softmax(taught.intent_logits, dim=-1)
    mask = batch.mask.float()
    slot = -(slot_targets * torch.log_softmax(output.emissions, dim=-1)).sum(-1)
    intent = -(intent_targets * torch.log_softmax(output.intent_logits, dim=-1)).sum(-1)
    return (slot * mask).sum() / mask.sum() + intent.mean()


def evaluate_tagger(tagger: Tagger, examples: Sequence[Example]) -> dict[str, Any]:
    """Score a tagger on gold examples (slot F1, intent and sentence accuracy, per slot)."""
    predicted_tags, predicted_intents = tagger.predict([e.tokens for e in examples])
    return score(examples, predicted_tags, predicted_intents)


def train(
    corpus: Corpus,
    config: TaggerConfig,
    train_config: TrainConfig,
    device: torch.device,
    *,
    data_name: str = "",
    on_batch: Callable[[int, int, float], None] | None = None,
    on_epoch: Callable[[EpochReport], None] | None = None,
    teacher: Tagger | None = None,
) -> TrainResult:
    """Train on ``corpus.train``, select on ``corpus.dev``; callbacks drive progress display.

    With a ``teacher`` (for instance an ensemble) and ``distill_weight`` > 0, the loss also
    pulls the network's slot and intent probabilities towards the teacher's: one network
    learns what several agree on, and answers at the cost of one.
    """
    started = time.perf_counter()
    code = code_version()  # now: a commit made while the model trains is not the code that trained it
    _seed_everything(train_config.seed)
    words = Vocabulary.build((t.lower() for e in corpus.train for t in e.tokens), min_count=train_config.min_count)
    chars = Vocabulary.build(c for e in corpus.train for t in e.tokens for c in t)
    tags = LabelSet.build((t for e in corpus.train for t in e.tags), first=["O"])
    intents = LabelSet.build(e.intent for e in corpus.train)
    featurizer = Featurizer(config, words, chars)
    if teacher is not None:
        _check_teacher(teacher, words, chars, tags, intents, config)
    network = SlotIntentNetwork(config, words=len(words), chars=len(chars), tags=tags.labels(), intents=len(intents))
    tagger = Tagger(network, featurizer, tags, intents, device)
    optimizer = torch.optim.Adam(
        network.parameters(), lr=train_config.learning_rate, weight_decay=train_config.weight_decay
    )
    generator = torch.Generator().manual_seed(train_config.seed)
    augment = Augmenter.for_train_config(corpus.train, train_config)
    result = TrainResult(tagger)
    best_key: tuple[float, float] | None = None
    best_state: dict[str, torch.Tensor] = copy.deepcopy(network.state_dict())
    stale = 0
    for epoch in range(1, train_config.epochs + 1):
        epoch_started = time.perf_counter()
        network.train()
        examples = corpus.train if augment is None else augment(corpus.train, random.Random(train_config.seed + epoch))
        batches = _batches(examples, featurizer, tags, intents, train_config.batch_size, generator)
        total = 0.0
        for number, batch in enumerate(batches, start=1):
            batch = batch.to(device)
            output = network(batch, intent_weight=train_config.intent_weight)
            assert output.loss is not None
            if teacher is not None and train_config.distill_weight > 0:
                output.loss = (1 - train_config.distill_weight) * output.loss + train_config.distill_weight * (
                    _distillation_loss(teacher, batch, output)
                )
            optimizer.zero_grad(set_to_none=True)
            output.loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), train_config.grad_clip)
            optimizer.step()
            total += float(output.loss.detach())
            if on_batch is not None:
                on_batch(number, len(batches), total / number)
        network.eval()
        tagger.refresh()  # the weights changed
        dev = evaluate_tagger(tagger, corpus.dev)
        report = EpochReport(
            epoch,
            total / len(batches),
            dev["slot_f1"],
            dev["intent_accuracy"],
            dev["sentence_accuracy"],
            time.perf_counter() - epoch_started,
        )
        result.history.append(report)
        if on_epoch is not None:
            on_epoch(report)
        key = (dev["slot_f1"], dev["intent_accuracy"])
        if best_key is None or key > best_key:
            best_key, stale = key, 0
            best_state = copy.deepcopy(network.state_dict())
            result.best_epoch, result.dev_metrics = epoch, dev
        else:
            stale += 1
            if stale >= train_config.patience:
                result.stopped_by = "patience"
                break
        budget, last = train_config.max_seconds, epoch == train_config.epochs
        # the next epoch would take about as long as this one: stop if it would end past the budget
        if budget is not None and not last and time.perf_counter() - started + report.seconds > budget:
            result.stopped_by = "time limit"
            break
    network.load_state_dict(best_state)
    tagger.refresh()
    result.seconds = time.perf_counter() - started
    tagger.card = {
        "data": data_name,
        "train_sentences": len(corpus.train),
        "dev_sentences": len(corpus.dev),
        "dev_metrics": {k: v for k, v in result.dev_metrics.items() if k != "per_slot"},
        "best_epoch": result.best_epoch,
        "epochs_run": len(result.history),
        "stopped_by": result.stopped_by,
        "training_seconds": round(result.seconds, 1),
        "trained_on": str(device),
        "parameters": sum(p.numel() for p in network.parameters()),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": code,
        "environment": environment(
            threads=torch.get_num_threads(),
            city_names=augment.city_names if augment is not None and train_config.city_swap > 0 else None,
        ),
    }
    return result
