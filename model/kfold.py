"""Fixed k-fold splits of a corpus's train+dev, committed as indices with a checksum.

Dev alone (500 ATIS sentences) ranks recipes poorly: four seeds of one recipe spread over
0.6 points of test slot F1, and dev did not order them. Cross-validation judges a recipe
on every sentence of train+dev instead, each held out once. The folds are fixed and
committed (``model/folds/*.json``) so that every recipe and ablation is judged on the
same splits; they hold *indices* into the concatenation (train first, then dev), never
sentences, and the SHA-256 of each split's sentences, so folds made for other data are
refused rather than silently applied to it.

Folds are stratified by intent (each intent dealt round the folds in turn), so a rare
intent is not missing from a fold's training part by chance. Within the training part of a
fold, a stratified ``stopping`` slice is kept for early stopping only: the held-out fold
never chooses the epoch.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .data import Corpus, Example
from .errors import FoldsError

__all__ = ["FORMAT", "Folds", "digest", "load_folds", "make_folds", "save_folds"]

FORMAT = "ticketbot-folds"
_VERSION = 1


def digest(examples: Sequence[Example]) -> str:
    """SHA-256 of the sentences as the split files write them (tokens, tags, intent per line)."""
    sha = hashlib.sha256()
    for e in examples:
        sha.update(f"{' '.join(e.tokens)}\t{' '.join(e.tags)}\t{e.intent}\n".encode())
    return sha.hexdigest()


def _deal(indices_by_label: dict[str, list[int]], parts: int, rng: random.Random) -> list[list[int]]:
    """Each label's indices, shuffled, dealt round ``parts`` in turn, the deal carrying on from
    one label to the next so the parts' sizes differ by one at most."""
    out: list[list[int]] = [[] for _ in range(parts)]
    turn = 0
    for label in sorted(indices_by_label):
        members = list(indices_by_label[label])
        rng.shuffle(members)
        for index in members:
            out[turn % parts].append(index)
            turn += 1
    return [sorted(part) for part in out]


@dataclass(frozen=True, slots=True)
class Folds:
    """``folds[i]``: indices (into train followed by dev) of the sentences fold ``i`` holds out."""

    name: str
    seed: int
    sizes: dict[str, int]  # "train", "dev"
    sha256: dict[str, str]
    folds: list[list[int]]

    @property
    def k(self) -> int:
        return len(self.folds)

    def examples(self, corpus: Corpus) -> list[Example]:
        """train + dev of ``corpus``, once checked to be the sentences these folds were made for."""
        for split, examples in (("train", corpus.train), ("dev", corpus.dev)):
            if len(examples) != self.sizes[split]:
                raise FoldsError(
                    f"folds {self.name!r} were made for a {split} split of {self.sizes[split]} sentences; "
                    f"this one has {len(examples)}: other data, or another version of it"
                )
            if digest(examples) != self.sha256[split]:
                raise FoldsError(
                    f"folds {self.name!r}: the {split} split's sentences are not those the folds were made for "
                    "(same count, other text, tags, intents or order); make folds for this data"
                )
        return [*corpus.train, *corpus.dev]

    def split(
        self, fold: int, examples: Sequence[Example], share: float = 0.1
    ) -> tuple[list[int], list[int], list[int]]:
        """(training, early-stopping, held-out) indices of fold ``fold``; ``examples`` are what
        ``examples(corpus)`` returned. The early-stopping slice is a ``share`` of the training
        part, stratified by intent, and the same for every seed, so seeds differ in their
        training alone."""
        if not 0 <= fold < self.k:
            raise FoldsError(f"fold {fold} does not exist: folds {self.name!r} has {self.k} (0 to {self.k - 1})")
        if not 0 < share < 1:
            raise ValueError("the early-stopping share lies strictly between 0 and 1")
        rest = [i for j, part in enumerate(self.folds) if j != fold for i in part]
        by_intent: dict[str, list[int]] = defaultdict(list)
        for index in rest:
            by_intent[examples[index].intent].append(index)
        stopping = _deal(by_intent, round(1 / share), random.Random(f"{self.seed}:stopping:{fold}"))[0]
        taken = set(stopping)
        return [i for i in rest if i not in taken], stopping, list(self.folds[fold])

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": _VERSION,
            "name": self.name,
            "order": "train, then dev",
            "stratified_by": "intent",
            "seed": self.seed,
            "sizes": self.sizes,
            "sha256": self.sha256,
            "folds": self.folds,
        }


def make_folds(corpus: Corpus, k: int = 5, seed: int = 0, name: str = "") -> Folds:
    """``k`` folds over ``corpus.train + corpus.dev``, stratified by intent; the same for a seed."""
    examples = [*corpus.train, *corpus.dev]
    if k < 2 or k > len(examples):
        raise ValueError(f"k must lie between 2 and the {len(examples)} sentences, not {k}")
    by_intent: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_intent[example.intent].append(index)
    folds = _deal(by_intent, k, random.Random(seed))
    return Folds(
        name=name,
        seed=seed,
        sizes={"train": len(corpus.train), "dev": len(corpus.dev)},
        sha256={"train": digest(corpus.train), "dev": digest(corpus.dev)},
        folds=folds,
    )


def save_folds(folds: Folds, path: str | Path) -> None:
    """Write ``folds`` as JSON, one fold's indices per line (a diff shows which fold changed)."""
    data = folds.to_dict()
    lines = ",\n".join(f"  {json.dumps(part, separators=(',', ':'))}" for part in data.pop("folds"))
    head = json.dumps(data, indent=1)[:-2]  # without the closing "\n}"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(f'{head},\n "folds": [\n{lines}\n ]\n}}\n', encoding="utf-8")


def load_folds(path: str | Path) -> Folds:
    """Read folds written by ``save_folds``; anything else, or folds that are not a partition, is refused."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FoldsError(f"{path}: cannot read folds ({error})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != _VERSION:
        raise FoldsError(f"{path}: not a {FORMAT} file of version {_VERSION}")
    try:
        folds = Folds(
            name=str(data["name"]),
            seed=int(data["seed"]),
            sizes={"train": int(data["sizes"]["train"]), "dev": int(data["sizes"]["dev"])},
            sha256={"train": str(data["sha256"]["train"]), "dev": str(data["sha256"]["dev"])},
            folds=[[int(i) for i in part] for part in data["folds"]],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise FoldsError(f"{path}: incomplete folds ({error})") from error
    total = folds.sizes["train"] + folds.sizes["dev"]
    if folds.k < 2 or sorted(i for part in folds.folds for i in part) != list(range(total)):
        raise FoldsError(f"{path}: the folds do not hold each of the {total} sentences exactly once")
    return folds
