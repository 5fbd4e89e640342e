"""Frozen configurations: everything needed to rebuild a network or repeat a training run.

Their defaults are also ``ticketbot train``'s (``model/cli.py`` reads them from here).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

__all__ = ["CELLS", "ENCODERS", "FIGURES", "TaggerConfig", "TrainConfig"]

Cell = Literal["lstm", "gru", "elman", "jordan", "feedforward"]
CELLS: tuple[str, ...] = ("lstm", "gru", "elman", "jordan", "feedforward")
ENCODERS: tuple[str, ...] = ("onehot", "hash", "char")
# the figures a model is judged by (``model.metrics.score``'s keys), in the order tables show them
FIGURES: tuple[str, ...] = ("slot_f1", "intent_accuracy", "sentence_accuracy", "city_span_f1")


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} fields: {sorted(unknown)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return cls(**values)


@dataclass(frozen=True, slots=True)
class TaggerConfig:
    """The network's architecture. ``feedforward`` is the memoryless baseline of the lecture."""

    encoders: tuple[str, ...] = ("onehot", "hash", "char")
    word_dim: int = 100
    word_dropout: float = 0.05
    hash_buckets: int = 4096
    hash_dim: int = 64
    max_trigrams: int = 24
    char_dim: int = 24
    char_filters: int = 64
    char_kernel: int = 3
    max_chars: int = 24
    cell: Cell = "lstm"
    hidden_size: int = 128
    layers: int = 1
    bidirectional: bool = True
    dropout: float = 0.3
    crf: bool = False
    # the intent informs each token's slot scores: a slot gate (Goo et al., 2018) from the
    # pooled sentence, so "leave"/"arrive" spread over the sentence can sway a span's role
    slot_gate: bool = False

    def __post_init__(self) -> None:
        if not self.encoders or any(e not in ENCODERS for e in self.encoders):
            raise ValueError(f"encoders must be a non-empty subset of {ENCODERS}, got {self.encoders}")
        if len(set(self.encoders)) != len(self.encoders):
            raise ValueError("encoders must not repeat")
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, got {self.cell!r}")
        if self.layers < 1:
            raise ValueError("layers must be at least 1")
        if not 0.0 <= self.dropout < 1.0 or not 0.0 <= self.word_dropout < 1.0:
            raise ValueError("dropout rates must lie in [0, 1)")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaggerConfig:
        return _from_dict(cls, data)


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """How a network is trained; stored in the checkpoint so a run can be repeated."""

    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 2e-3
    weight_decay: float = 0.0
    grad_clip: float = 5.0
    patience: int = 8
    min_count: int = 1
    seed: int = 13
    intent_weight: float = 1.0
    city_swap: float = 0.0  # chance per sentence and epoch that its cities become world cities
    date_swap: float = 0.0  # chance per sentence and epoch that its dates are written as typed ("nov. 27th")
    span_swap: float = 0.0  # chance per sentence and epoch that its slot values become others of the same slot
    airport_swap: float = 0.0  # chance per sentence and epoch that its airport codes and names become others
    state_swap: float = 0.0  # chance per sentence and epoch that its state names and codes become others
    unknown_word: float = 0.0  # chance per sentence and epoch that one of its slot-less words becomes unknown
    city_code: float = 0.0  # chance per sentence and epoch that its origin and destination cities become codes
    keep_intent_cues: bool = False  # unknown_word never replaces a word that says the intent (augment.intent_cues)
    distill_weight: float = 0.0  # with a teacher: share of the loss that follows its probabilities
    max_seconds: float | None = None  # wall-clock budget: no epoch starts that would end past it

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.patience < 1 or self.min_count < 1:
            raise ValueError("epochs, batch_size, patience and min_count must be positive")
        if not all(0.0 <= p <= 1.0 for p in (*self.augmentation().values(), self.distill_weight)):
            raise ValueError(f"{', '.join(self.augmentation())} and distill_weight lie in [0, 1]")
        if self.max_seconds is not None and self.max_seconds <= 0:
            raise ValueError("max_seconds, when given, must be positive")

    def augmentation(self) -> dict[str, float]:
        """The chances of each training-time rewrite (``model.augment``), by field name."""
        names = ("city_swap", "date_swap", "span_swap", "airport_swap", "state_swap", "unknown_word", "city_code")
        return {name: getattr(self, name) for name in names}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        return _from_dict(cls, data)
