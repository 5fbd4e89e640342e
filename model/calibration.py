"""Is a span's confidence a probability? Measure it, and fit a temperature so it is.

The dialogue asks "did you mean Austin?" below some confidence, which only makes sense
if, among spans given confidence 0.7, about 70% are right. ``span_outcomes`` pairs each
predicted span with whether it matches a gold span exactly; the expected calibration
error (ECE) is the gap between confidence and accuracy, averaged over equal-width bins
and weighted by how many spans fall in each. ``fit_temperature`` picks the temperature
that minimises the spans' log-loss on dev (a proper scoring rule, unlike ECE itself).
``calibrate`` does both, honestly (the figure after fitting is cross-validated), and
``with_temperature`` stores the result in a checkpoint.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .bio import bio_spans
from .checkpoint import Checkpoint
from .data import Example
from .tagger import Parse, Tagger

__all__ = [
    "Calibration",
    "calibrate",
    "expected_calibration_error",
    "fit_temperature",
    "log_loss",
    "span_outcomes",
    "with_temperature",
]


@dataclass(frozen=True, slots=True)
class Calibration:
    """A temperature fitted on dev, and the span figures before and after it."""

    temperature: float  # fitted on all the sentences given
    spans: int  # predicted spans, at temperature 1
    right: float  # the share of them that match a gold span
    ece_before: float  # at temperature 1
    log_loss_before: float
    ece_after: float  # cross-validated: fitted on one half of the sentences, measured on the other
    log_loss_after: float


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


def calibrate(tagger: Tagger, examples: Sequence[Example]) -> Calibration:
    """Measure the spans' calibration at temperature 1 and after fitting one; leaves the
    tagger's temperature as it was.

    The figure after fitting is cross-validated: fitted on one half of the sentences (every
    other one), measured on the other, both ways round, so it is not graded on its own
    training data. The temperature returned is fitted on all of them.
    """
    kept = tagger.temperature
    try:
        tagger.temperature = 1.0
        before = span_outcomes(tagger, examples)
        if not before:
            raise ValueError("no spans to measure: the tagger finds no slot values in these sentences")
        halves = examples[0::2], examples[1::2]
        after: list[tuple[float, bool]] = []
        for fit_on, measure_on in (halves, halves[::-1]):
            tagger.temperature = fit_temperature(tagger, fit_on)
            after.extend(span_outcomes(tagger, measure_on))
    finally:
        tagger.temperature = kept
    return Calibration(
        temperature=fit_temperature(tagger, examples),
        spans=len(before),
        right=sum(r for _, r in before) / len(before),
        ece_before=expected_calibration_error(before),
        log_loss_before=log_loss(before),
        ece_after=expected_calibration_error(after),
        log_loss_after=log_loss(after),
    )


def with_temperature(checkpoint: Checkpoint, calibration: Calibration, *, data: str) -> Checkpoint:
    """A copy that tempers its confidences by ``calibration.temperature``, its card saying
    where the temperature was fitted and how well calibrated the spans were before and after."""
    card = {
        **checkpoint.card,
        "calibration": {
            "temperature": calibration.temperature,
            "span_ece_uncalibrated": calibration.ece_before,
            "span_ece_cross_validated": calibration.ece_after,
            "data": data,
        },
    }
    return replace(checkpoint, temperature=calibration.temperature, card=card)
