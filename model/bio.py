"""The BIO scheme: which tag may follow which, and turning tags into spans."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["allowed_transitions", "bio_spans", "is_valid_bio"]


def _split(tag: str) -> tuple[str, str]:
    return (tag[0], tag[2:]) if tag != "O" else ("O", "")


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(start, transitions)`` boolean masks: ``I-x`` only after ``B-x`` or ``I-x``."""
    parts = [_split(t) for t in tags]
    start = np.array([prefix != "I" for prefix, _ in parts])
    transitions = np.ones((len(tags), len(tags)), dtype=bool)
    for j, (prefix, slot) in enumerate(parts):
        if prefix == "I":
            for i, (previous_prefix, previous_slot) in enumerate(parts):
                transitions[i, j] = previous_prefix in "BI" and previous_slot == slot
    return start, transitions


def is_valid_bio(tags: Sequence[str]) -> bool:
    """True when no ``I-x`` follows ``O``, the start, or a tag of another slot."""
    previous = "O"
    for tag in tags:
        prefix, slot = _split(tag)
        if prefix == "I":
            previous_prefix, previous_slot = _split(previous)
            if previous_prefix == "O" or previous_slot != slot:
                return False
        previous = tag
    return True


def bio_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(slot, start, end)`` per span, end exclusive; a stray ``I-x`` opens a span (conlleval)."""
    spans: list[tuple[str, int, int]] = []
    current: list = []
    for i, tag in enumerate(tags):
        prefix, slot = _split(tag)
        if current and (prefix != "I" or slot != current[0]):
            spans.append((current[0], current[1], i))
            current = []
        if prefix in "BI" and not current:
            current = [slot, i]
    if current:
        spans.append((current[0], current[1], len(tags)))
    return spans
