"""Is a span's confidence a probability? Measure it, and fit a temperature so it is.

The dialogue asks "did you mean Austin?" below some confidence, which only makes sense
if, among spans given confidence 0.7, about 70% are right. ``span_outcomes`` pairs each
predicted span with whether it matches a gold span exactly; the expected calibration
error (ECE) is the gap between confidence and accuracy, averaged over equal-width bins
and weighted by how many spans fall in each. ``fit_temperature`` picks the temperature
that minimises the spans' log-loss on dev (a proper scoring rule, unlike ECE itself).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .bio import bio_spans
from .data import Example
from .tagger import Parse, Tagger

__all__ = ["expected_calibration_error", "fit_temperature", "log_loss", "span_outcomes"]


def span_outcomes(tagger: Tagger, examples: Sequence[Example]) -> list[tuple[float, bool]]:
    """(confidence, right?) for every span the tagger predicts."""
    return _outcomes(tagger.parse([e.tokens for e in examples]), examples)


def _outcomes(parses: Sequence[Parse], examples: Sequence[Example]) -> list[tuple[float, bool]]:
    outcomes = []
    for example, parse in zip(examples, parses, strict=True):
        gold = set(bio_spans(example.tags))
        outcomes.extend((span.confidence, (span.slot, span.start, span.end) in gold) for span in parse.spans)
    return outcomes


def expected_calibration_error(outcomes: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    if not outcomes:
        raise ValueError("no spans to measure")
    confidence = np.array([c for c, _ in outcomes])
    right = np.array([r for _, r in outcomes], dtype=float)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.sum() * abs(confidence[inside].mean() - right[inside].mean())
    return float(total / len(outcomes))


def log_loss(outcomes: Sequence[tuple[float, bool]]) -> float:
    eps = 1e-6
    return -sum(math.log(max(c, eps) if r else max(1 - c, eps)) for c, r in outcomes) / len(outcomes)


def fit_temperature(tagger: Tagger, examples: Sequence[Example], grid: Sequence[float] | None = None) -> float:
    """The temperature (from ``grid``) with the lowest span log-loss; sets nothing.

    The network runs once; only the decoding is repeated for each temperature.
    """
    grid = grid or [round(0.5 + 0.1 * i, 2) for i in range(36)]  # 0.5 .. 4.0
    scored = tagger.score([e.tokens for e in examples])
    losses = {t: log_loss(_outcomes(tagger.parse_scores(scored, temperature=t), examples)) for t in grid}
    return min(grid, key=lambda t: losses[t])
