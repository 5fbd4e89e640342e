"""Exact decoding and marginals over a chain, in NumPy: used by both heads at inference.

Scores are per-token log-potentials ``(time, labels)`` plus transition, start and end
scores; forbidden moves carry ``-inf`` so no decoded sequence breaks the BIO scheme.
``transitions`` is one ``(labels, labels)`` matrix, or one per step ``(time - 1, k, k)``
for a pruned lattice: ``decode`` keeps each token's few most likely labels (and ``O``),
which makes a sentence's decode a few hundred microseconds instead of milliseconds while
the labels it drops carry almost no probability.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chain_marginals", "decode", "decode_batch", "viterbi"]


def _step(transitions: np.ndarray, t: int) -> np.ndarray:
    return transitions if transitions.ndim == 2 else transitions[t - 1]


def viterbi(scores: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """The highest-scoring label sequence."""
    time = scores.shape[0]
    best = start + scores[0]
    back = np.empty(scores.shape, dtype=np.int64)
    for t in range(1, time):
        candidates = best[:, None] + _step(transitions, t)  # (previous, current)
        back[t] = candidates.argmax(axis=0)
        best = candidates[back[t], np.arange(scores.shape[1])] + scores[t]
    path = [int((best + end).argmax())]
    for t in range(time - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def chain_marginals(scores: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``P(label_t = j)`` over all allowed sequences, shape ``(time, labels)``.

    Forward-backward in probability space, rescaled at every step: a handful of small
    matrix-vector products, far cheaper than log-space sums at this size. Each step's
    scores are shifted by their maximum first, so nothing overflows or underflows.
    """
    time = scores.shape[0]
    emit = np.exp(scores - scores.max(axis=1, keepdims=True))
    move = np.exp(transitions)  # forbidden moves (-inf) become 0
    alpha = np.empty(scores.shape)
    alpha[0] = np.exp(start - start.max()) * emit[0]
    alpha[0] /= alpha[0].sum()
    for t in range(1, time):
        alpha[t] = (alpha[t - 1] @ _step(move, t)) * emit[t]
        alpha[t] /= alpha[t].sum()
    beta = np.empty(scores.shape)
    beta[-1] = np.exp(end - end.max())
    for t in range(time - 2, -1, -1):
        beta[t] = _step(move, t + 1) @ (emit[t + 1] * beta[t + 1])
        beta[t] /= beta[t].sum()
    joint = alpha * beta
    return joint / joint.sum(axis=1, keepdims=True)


def decode(
    scores: np.ndarray,
    transitions: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    *,
    keep: int = 10,
    always: int = 0,
    marginals: bool = True,
    temperature: float = 1.0,
) -> tuple[list[int], np.ndarray | None]:
    """Best path and, per token, the marginal probability of the label it got.

    Only each token's ``keep`` highest-scoring labels, plus label ``always`` (``O``, which
    may follow anything, so some allowed path always survives), enter the lattice. The
    marginals are computed on the potentials divided by ``temperature`` (fitted on dev so
    that confidences are calibrated); the path does not depend on it.
    """
    cool = 1.0 / temperature
    time, labels = scores.shape
    if keep >= labels:
        path = viterbi(scores, transitions, start, end)
        if not marginals:
            return path, None
        return path, chain_marginals(scores * cool, transitions * cool, start * cool, end * cool)[np.arange(time), path]
    candidates = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
    missing = ~(candidates == always).any(axis=1)
    candidates[missing, -1] = always
    sub_scores = np.take_along_axis(scores, candidates, axis=1)
    sub_transitions = transitions[candidates[:-1, :, None], candidates[1:, None, :]]  # (time-1, k, k)
    local = viterbi(sub_scores, sub_transitions, start[candidates[0]], end[candidates[-1]])
    path = [int(candidates[t, j]) for t, j in enumerate(local)]
    if not marginals:
        return path, None
    sub_marginals = chain_marginals(
        sub_scores * cool, sub_transitions * cool, start[candidates[0]] * cool, end[candidates[-1]] * cool
    )
    return path, sub_marginals[np.arange(time), local]


def decode_batch(
    scores: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray, *, keep: int = 10, always: int = 0
) -> np.ndarray:
    """``decode`` for sentences of one length at once, ``(batch, time, labels)`` -> paths
    ``(batch, time)``: the same pruned lattice, one NumPy operation per step for all of them."""
    batch, time, labels = scores.shape
    keep = min(keep, labels)
    candidates = np.argpartition(-scores, keep - 1, axis=2)[:, :, :keep]
    missing = ~(candidates == always).any(axis=2)
    candidates[missing, -1] = always
    sub_scores = np.take_along_axis(scores, candidates, axis=2)
    rows = np.arange(batch)
    best = start[candidates[:, 0]] + sub_scores[:, 0]
    back = np.zeros((batch, time, keep), dtype=np.int64)
    for t in range(1, time):
        step = best[:, :, None] + transitions[candidates[:, t - 1, :, None], candidates[:, t, None, :]]
        back[:, t] = step.argmax(axis=1)
        best = np.take_along_axis(step, back[:, t, None, :], axis=1)[:, 0] + sub_scores[:, t]
    local = np.empty((batch, time), dtype=np.int64)
    local[:, -1] = (best + end[candidates[:, -1]]).argmax(axis=1)
    for t in range(time - 1, 0, -1):
        local[:, t - 1] = back[rows, t, local[:, t]]
    return np.take_along_axis(candidates, local[:, :, None], axis=2)[:, :, 0]
