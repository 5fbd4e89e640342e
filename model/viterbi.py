"""Exact decoding and marginals over a chain, in NumPy: used by both heads at inference.

Scores are per-token log-potentials ``(time, labels)`` plus transition, start and end
scores; forbidden moves carry ``-inf`` so no decoded sequence breaks the BIO scheme.
Running on small NumPy arrays keeps a one-sentence decode in the tens of microseconds.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chain_marginals", "viterbi"]


def viterbi(scores: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """The highest-scoring label sequence."""
    time = scores.shape[0]
    best = start + scores[0]
    back = np.empty((time, scores.shape[1]), dtype=np.int64)
    for t in range(1, time):
        candidates = best[:, None] + transitions  # (previous, current)
        back[t] = candidates.argmax(axis=0)
        best = candidates.max(axis=0) + scores[t]
    path = [int((best + end).argmax())]
    for t in range(time - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    peak = np.max(x, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(peak, axis=axis) + np.log(np.sum(np.exp(x - peak), axis=axis))


def chain_marginals(scores: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``P(label_t = j)`` over all allowed sequences (forward-backward), shape ``(time, labels)``."""
    time, labels = scores.shape
    alpha = np.empty((time, labels))
    beta = np.zeros((time, labels))
    alpha[0] = start + scores[0]
    for t in range(1, time):
        alpha[t] = _logsumexp(alpha[t - 1][:, None] + transitions, axis=0) + scores[t]
    beta[-1] = end
    for t in range(time - 2, -1, -1):
        beta[t] = _logsumexp(transitions + (scores[t + 1] + beta[t + 1])[None, :], axis=1)
    log_z = _logsumexp(alpha[-1] + end, axis=0)
    return np.exp(alpha + beta - log_z)
