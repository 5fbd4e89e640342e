"""Slot F1 as conlleval computes it (via seqeval), intent and sentence accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from .augment import is_city_slot
from .data import Example

__all__ = ["city_span_f1", "score"]


def score(gold: Sequence[Example], tags: Sequence[Sequence[str]], intents: Sequence[str]) -> dict[str, Any]:
    """Figures as fractions in [0, 1]; ``per_slot`` maps a slot to precision/recall/f1/support."""
    if not (len(gold) == len(tags) == len(intents)):
        raise ValueError("gold and predictions differ in length")
    if not gold:
        raise ValueError("nothing to score")
    y_true = [list(example.tags) for example in gold]
    y_pred = [list(t) for t in tags]
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    per_slot = {
        slot: {
            "precision": float(values["precision"]),
            "recall": float(values["recall"]),
            "f1": float(values["f1-score"]),
            "support": int(values["support"]),
        }
        for slot, values in sorted(report.items())
        if not slot.endswith(" avg")
    }
    intent_right = [example.intent == intent for example, intent in zip(gold, intents, strict=True)]
    sentence_right = [
        ok and tuple(example.tags) == tuple(predicted)
        for ok, example, predicted in zip(intent_right, gold, tags, strict=True)
    ]
    figures = {
        "slot_f1": float(f1_score(y_true, y_pred, zero_division=0)),
        "slot_precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "slot_recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "intent_accuracy": sum(intent_right) / len(gold),
        "sentence_accuracy": sum(sentence_right) / len(gold),
        "sentences": len(gold),
        "per_slot": per_slot,
    }
    if any(is_city_slot(slot) for slot in per_slot):
        figures["city_span_f1"] = city_span_f1(y_true, y_pred)
    return figures


def _cities_only(sequences: list[list[str]]) -> list[list[str]]:
    return [[t if t != "O" and is_city_slot(t[2:]) else "O" for t in tags] for tags in sequences]


def city_span_f1(y_true: list[list[str]], y_pred: list[list[str]]) -> float:
    """F1 over city spans of every role (destination, origin, stop-over, ...) only."""
    return float(f1_score(_cities_only(y_true), _cities_only(y_pred), zero_division=0))
