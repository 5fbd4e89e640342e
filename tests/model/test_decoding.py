"""Decoding never produces an invalid BIO sequence; spans and marginals are right."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from model import allowed_transitions, bio_spans, is_valid_bio
from model.viterbi import chain_marginals, viterbi

TAGS = ["O", "B-toloc.city_name", "I-toloc.city_name", "B-fromloc.city_name", "I-fromloc.city_name"]


def _constrained(tags: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    start_ok, transitions_ok = allowed_transitions(tags)
    return (np.where(transitions_ok, 0.0, -np.inf), np.where(start_ok, 0.0, -np.inf), np.zeros(len(tags)))


def test_transition_rules() -> None:
    start, transitions = allowed_transitions(TAGS)
    assert start.tolist() == [True, True, False, True, False]
    i_to = TAGS.index("I-toloc.city_name")
    assert [TAGS[i] for i in np.flatnonzero(transitions[:, i_to])] == ["B-toloc.city_name", "I-toloc.city_name"]


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 12), st.just(len(TAGS))), elements=st.floats(-20, 20)))
def test_viterbi_output_is_always_valid_bio(scores: np.ndarray) -> None:
    path = viterbi(scores, *_constrained(TAGS))
    assert is_valid_bio([TAGS[i] for i in path])


def test_viterbi_prefers_valid_sequence_over_argmax() -> None:
    # per-token argmax would be "O I-toloc": invalid
    scores = np.log(np.array([[0.9, 0.1, 0.0001, 0.0001, 0.0001], [0.3, 0.0001, 0.7, 0.0001, 0.0001]]))
    path = [TAGS[i] for i in viterbi(scores, *_constrained(TAGS))]
    assert is_valid_bio(path)
    assert path in (["O", "O"], ["B-toloc.city_name", "I-toloc.city_name"])


def test_viterbi_and_marginals_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(4, len(TAGS)))
    transitions, start, end = _constrained(TAGS)
    transitions = transitions + rng.normal(size=transitions.shape)
    weights = {}
    for path in itertools.product(range(len(TAGS)), repeat=4):
        total = start[path[0]] + sum(scores[t, j] for t, j in enumerate(path))
        total += sum(transitions[a, b] for a, b in itertools.pairwise(path)) + end[path[-1]]
        weights[path] = total
    best = max(weights, key=weights.get)
    assert tuple(viterbi(scores, transitions, start, end)) == best
    finite = {p: np.exp(w) for p, w in weights.items() if np.isfinite(w)}
    z = sum(finite.values())
    expected = np.zeros_like(scores)
    for path, weight in finite.items():
        for t, j in enumerate(path):
            expected[t, j] += weight / z
    assert np.allclose(chain_marginals(scores, transitions, start, end), expected)


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["O", "B-a", "I-a", "O", "B-b"], [("a", 1, 3), ("b", 4, 5)]),
        (["B-a", "B-a", "I-a"], [("a", 0, 1), ("a", 1, 3)]),
        (["O", "I-a", "I-a"], [("a", 1, 3)]),  # conlleval: a stray I- opens a span
        (["B-a", "I-b"], [("a", 0, 1), ("b", 1, 2)]),
        ([], []),
    ],
)
def test_bio_spans(tags: list[str], spans: list[tuple[str, int, int]]) -> None:
    assert bio_spans(tags) == spans


def test_is_valid_bio() -> None:
    assert is_valid_bio(["O", "B-a", "I-a", "B-b", "I-b", "O"])
    assert not is_valid_bio(["O", "I-a"])
    assert not is_valid_bio(["I-a"])
    assert not is_valid_bio(["B-a", "I-b"])


def test_crf_likelihood_matches_brute_force() -> None:
    import torch

    from model.crf import CRF

    torch.manual_seed(0)
    crf = CRF(TAGS)
    with torch.no_grad():
        for parameter in crf.parameters():
            parameter.normal_()
    emissions = torch.randn(2, 3, len(TAGS))
    gold = torch.tensor([[1, 2, 0], [3, 0, 0]])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    transitions, start, end = (p.detach() for p in crf.potentials())

    def path_score(b: int, path: tuple[int, ...]) -> torch.Tensor:
        total = start[path[0]] + sum(emissions[b, t, j] for t, j in enumerate(path))
        return total + sum(transitions[a, c] for a, c in itertools.pairwise(path)) + end[path[-1]]

    expected = []
    for b, length in enumerate(mask.sum(dim=1).tolist()):
        paths = list(itertools.product(range(len(TAGS)), repeat=length))
        log_z = torch.logsumexp(torch.stack([path_score(b, p) for p in paths]), dim=0)
        expected.append(log_z - path_score(b, tuple(gold[b, :length].tolist())))
    nll = crf.negative_log_likelihood(emissions, gold, mask)
    assert nll.item() == pytest.approx(torch.stack(expected).mean().item(), abs=1e-4)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 12), st.just(len(TAGS))), elements=st.floats(-20, 20)))
def test_pruned_decoding_is_always_valid_bio(scores: np.ndarray) -> None:
    from model.viterbi import decode

    path, confidence = decode(scores, *_constrained(TAGS), keep=2, always=0)
    assert is_valid_bio([TAGS[i] for i in path])
    assert confidence is not None and np.all((confidence >= 0) & (confidence <= 1 + 1e-9))
