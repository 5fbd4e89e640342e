"""Does retraining from a recipe give back the model? Figures, weights and what differed.

``ticketbot reproduce --config RECIPE`` retrains in a child process, exactly as the card's
command would, and compares the retrained checkpoint's dev figures with the reference
card's: equal figures (a ``tolerance`` of 0 points) is an exact reproduction, and equal
weights say the arithmetic itself repeated. When they differ, the two cards' code
versions, library releases, thread counts and city-list fingerprints are set side by side
(``model.provenance`` says why each can change a model).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

from .checkpoint import Checkpoint
from .config import FIGURES

__all__ = ["FIGURES", "Comparison", "Row", "compare", "provenance_differences"]


@dataclass(frozen=True, slots=True)
class Row:
    """One dev figure, in percent: the reference card's, the retrained model's, and the gap."""

    figure: str
    card: float
    retrained: float

    @property
    def difference(self) -> float:
        return self.retrained - self.card


@dataclass(frozen=True, slots=True)
class Comparison:
    rows: list[Row]
    tolerance: float  # percentage points either way
    weights_identical: bool | None  # None: the two differ in shape, so the question does not arise
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # provenance: (reference, retrained)

    @property
    def exact(self) -> bool:
        return all(row.difference == 0 for row in self.rows)

    @property
    def reproduced(self) -> bool:
        # a tiny epsilon: percentages of the same counts may differ in the last bit
        return all(abs(row.difference) <= self.tolerance + 1e-9 for row in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reproduced": self.reproduced,
            "exact": self.exact,
            "tolerance_points": self.tolerance,
            "weights_identical": self.weights_identical,
            "figures": {
                r.figure: {"card": r.card, "retrained": r.retrained, "difference": r.difference} for r in self.rows
            },
            "provenance_differences": {k: {"reference": a, "retrained": b} for k, (a, b) in self.differences.items()},
        }


def _flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def provenance_differences(reference: Mapping[str, Any], retrained: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The code version and environment entries in which two cards differ (None: not recorded)."""
    a = _flatten({"code_version": reference.get("code_version"), "environment": reference.get("environment") or {}})
    b = _flatten({"code_version": retrained.get("code_version"), "environment": retrained.get("environment") or {}})
    return {key: (a.get(key), b.get(key)) for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)}


def _same_weights(reference: Checkpoint, retrained: Checkpoint) -> bool | None:
    if len(reference.state_dicts) != len(retrained.state_dicts):
        return None
    for mine, theirs in zip(reference.state_dicts, retrained.state_dicts, strict=True):
        if mine.keys() != theirs.keys() or any(mine[k].shape != theirs[k].shape for k in mine):
            return None
        if not all(torch.equal(mine[k], theirs[k]) for k in mine):
            return False
    return True


def compare(reference: Checkpoint, retrained: Checkpoint, tolerance: float = 0.0) -> Comparison:
    """Compare the dev figures both cards recorded at training time (in percent), their weights,
    and their provenance. A figure only one of them has (city-span F1 on a corpus without
    cities) is left out."""
    if tolerance < 0:
        raise ValueError("the tolerance is a number of percentage points, zero or more")
    mine, theirs = reference.card.get("dev_metrics") or {}, retrained.card.get("dev_metrics") or {}
    if not mine:
        raise ValueError("the reference checkpoint's card has no dev figures to compare with")
    rows = [Row(f, 100 * float(mine[f]), 100 * float(theirs[f])) for f in FIGURES if f in mine and f in theirs]
    return Comparison(
        rows, tolerance, _same_weights(reference, retrained), provenance_differences(reference.card, retrained.card)
    )
