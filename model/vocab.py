"""Vocabularies: the 1-of-N index with its "other" entry, and label lists.

Both are stored in checkpoints as plain lists of strings, so a checkpoint never holds a
pickled object.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = ["LabelSet", "Vocabulary"]


class Vocabulary:
    """Maps items to ids; id 0 is padding and id 1 the lecture's "other" entry.

    Any item never seen in training (or seen fewer than ``min_count`` times) shares the
    "other" id, so unseen words still have a representation the network has learned.
    """

    PAD = 0
    OTHER = 1
    _RESERVED = ("<pad>", "<other>")

    def __init__(self, items: Sequence[str]) -> None:
        self._items = list(items)
        self._index = {item: i for i, item in enumerate(self._items, start=len(self._RESERVED))}
        if len(self._index) != len(self._items):
            raise ValueError("vocabulary items must be unique")

    @classmethod
    def build(cls, stream: Iterable[str], min_count: int = 1) -> Vocabulary:
        """Keep items seen at least ``min_count`` times, most frequent first (ties by name)."""
        counts = Counter(stream)
        kept = sorted((item for item, n in counts.items() if n >= min_count), key=lambda item: (-counts[item], item))
        return cls(kept)

    def __len__(self) -> int:
        return len(self._items) + len(self._RESERVED)

    def __contains__(self, item: object) -> bool:
        return item in self._index

    def index(self, item: str) -> int:
        return self._index.get(item, self.OTHER)

    def items(self) -> list[str]:
        """The items without the reserved entries, as stored in checkpoints."""
        return list(self._items)


class LabelSet:
    """An ordered list of output labels (slot tags or intents) and their ids."""

    def __init__(self, labels: Sequence[str]) -> None:
        self._labels = list(labels)
        self._index = {label: i for i, label in enumerate(self._labels)}
        if len(self._index) != len(self._labels):
            raise ValueError("labels must be unique")

    @classmethod
    def build(cls, stream: Iterable[str], first: Sequence[str] = ()) -> LabelSet:
        """Sorted labels, with ``first`` (for instance ``"O"``) at the front."""
        seen = set(stream) - set(first)
        return cls([*first, *sorted(seen)])

    def __len__(self) -> int:
        return len(self._labels)

    def __getitem__(self, i: int) -> str:
        return self._labels[i]

    def __contains__(self, label: object) -> bool:
        return label in self._index

    def index(self, label: str, default: int | None = None) -> int:
        if label in self._index:
            return self._index[label]
        if default is None:
            raise KeyError(label)
        return default

    def labels(self) -> list[str]:
        return list(self._labels)
