"""Slot F1 as conlleval computes it (via seqeval), intent and sentence accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from .data import Example

__all__ = ["score"]


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
    return {
        "slot_f1": float(f1_score(y_true, y_pred, zero_division=0)),
        "slot_precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "slot_recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "intent_accuracy": sum(intent_right) / len(gold),
        "sentence_accuracy": sum(sentence_right) / len(gold),
        "sentences": len(gold),
        "per_slot": per_slot,
    }
