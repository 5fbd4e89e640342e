"""Turn token lists into the padded id tensors the encoders read, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .config import TaggerConfig
from .hashing import trigram_buckets
from .vocab import Vocabulary

__all__ = ["Batch", "Featurizer"]


@dataclass(slots=True)
class Batch:
    """Padded features of several sentences, plus gold ids when training."""

    features: dict[str, torch.Tensor]
    lengths: torch.Tensor  # (batch,) on the CPU, as pack_padded_sequence wants
    mask: torch.Tensor  # (batch, time) True on real tokens
    tags: torch.Tensor | None = None  # (batch, time), -100 on padding
    intents: torch.Tensor | None = None  # (batch,)

    def to(self, device: torch.device) -> Batch:
        """Move everything but ``lengths`` to ``device`` (non-blocking where it can)."""
        move = lambda t: None if t is None else t.to(device, non_blocking=True)  # noqa: E731
        return Batch(
            {k: v.to(device, non_blocking=True) for k, v in self.features.items()},
            self.lengths,
            self.mask.to(device, non_blocking=True),
            move(self.tags),
            move(self.intents),
        )


class Featurizer:
    """Computes the features each configured encoder needs: word ids, trigram buckets, chars."""

    def __init__(self, config: TaggerConfig, words: Vocabulary, chars: Vocabulary) -> None:
        self.config = config
        self.words = words
        self.chars = chars

    def __call__(self, sentences: Sequence[Sequence[str]]) -> Batch:
        if not sentences or any(len(s) == 0 for s in sentences):
            raise ValueError("every sentence needs at least one token")
        lengths = torch.tensor([len(s) for s in sentences], dtype=torch.long)
        batch, time = len(sentences), int(lengths.max())
        mask = torch.arange(time)[None, :] < lengths[:, None]
        features: dict[str, torch.Tensor] = {}
        lowered = [[token.lower() for token in s] for s in sentences]
        encoders = self.config.encoders
        if "onehot" in encoders:
            ids = np.zeros((batch, time), dtype=np.int64)
            for b, sentence in enumerate(lowered):
                ids[b, : len(sentence)] = [self.words.index(t) for t in sentence]
            features["words"] = torch.from_numpy(ids)
        if "hash" in encoders:
            features["trigrams"] = self._ragged(
                lowered,
                lambda token: trigram_buckets(token, self.config.hash_buckets),
                self.config.max_trigrams,
            )
        if "char" in encoders:
            features["chars"] = self._ragged(
                sentences, lambda token: [self.chars.index(c) for c in token], self.config.max_chars
            )
        return Batch(features, lengths, mask)

    @staticmethod
    def _ragged(sentences: Sequence[Sequence[str]], ids_of, limit: int) -> torch.Tensor:
        """(batch, time, width) ids, 0-padded; a token keeps at most ``limit`` ids."""
        per_token = [[list(ids_of(token))[:limit] or [0] for token in s] for s in sentences]
        width = max(len(ids) for s in per_token for ids in s)
        out = np.zeros((len(sentences), max(len(s) for s in sentences), width), dtype=np.int64)
        for b, sentence in enumerate(per_token):
            for t, ids in enumerate(sentence):
                out[b, t, : len(ids)] = ids
        return torch.from_numpy(out)
