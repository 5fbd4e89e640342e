"""The lecture's ways of turning words into vectors, behind one interface.

Each encoder reads one entry of ``Batch.features`` (one row per distinct word of the
batch) and returns ``(words, dim)``; ``CombinedEncoder`` concatenates any subset, so
1-of-N, word hashing and characters combine freely, then places the rows at the
sentences' positions: ``(batch, time, dim)``, zeros on padding.
"""

from __future__ import annotations

import torch
from torch import nn

from .config import TaggerConfig
from .vocab import Vocabulary

__all__ = ["CharEncoder", "CombinedEncoder", "HashEncoder", "OneHotEncoder", "TokenEncoder", "place"]


class TokenEncoder(nn.Module):
    """Interface: ``feature`` names the input it reads, ``output_dim`` its width."""

    feature: str
    output_dim: int

    def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:  # pragma: no cover
        raise NotImplementedError


class OneHotEncoder(TokenEncoder):
    """1-of-N with an "other" entry, times a weight matrix (stored as an embedding table).

    Multiplying a 1-of-N vector by a matrix selects one row, so an embedding lookup is
    that product without the zeros. In training, word dropout turns known words into
    "other" now and then, so the "other" row learns what an unseen word looks like.
    """

    feature = "words"

    def __init__(self, vocabulary_size: int, dim: int, word_dropout: float) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocabulary_size, dim, padding_idx=Vocabulary.PAD)
        self.word_dropout = word_dropout
        self.output_dim = dim

    def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        ids = features[self.feature]
        if self.training and self.word_dropout > 0:
            drop = (torch.rand(ids.shape, device=ids.device) < self.word_dropout) & (ids != Vocabulary.PAD)
            ids = ids.masked_fill(drop, Vocabulary.OTHER)
        return self.embedding(ids)


class HashEncoder(TokenEncoder):
    """Word hashing: the multi-hot vector of a word's trigram buckets, times a matrix.

    Summing the rows of the trigrams present is that product; misspelled and unseen
    words share most rows with known ones.
    """

    feature = "trigrams"

    def __init__(self, buckets: int, dim: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(buckets + 1, dim, padding_idx=0)
        self.output_dim = dim

    def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.embedding(features[self.feature]).sum(dim=1)


class CharEncoder(TokenEncoder):
    """A character CNN: embeddings, one convolution, max-pooling over the word's letters."""

    feature = "chars"

    def __init__(self, alphabet_size: int, dim: int, filters: int, kernel: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(alphabet_size, dim, padding_idx=Vocabulary.PAD)
        self.conv = nn.Conv1d(dim, filters, kernel, padding=kernel // 2)
        self.output_dim = filters

    def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        chars = features[self.feature]  # (words, width)
        hidden = self.conv(self.embedding(chars).transpose(1, 2))  # (words, filters, width)
        hidden = hidden.masked_fill((chars == Vocabulary.PAD)[:, None, :], float("-inf"))
        pooled = hidden.max(dim=2).values
        pooled = torch.where(torch.isfinite(pooled), pooled, torch.zeros_like(pooled))
        return torch.relu(pooled)


class CombinedEncoder(nn.Module):
    """Concatenates the configured encoders' outputs for every token."""

    def __init__(self, config: TaggerConfig, words: int, chars: int) -> None:
        super().__init__()
        built: dict[str, TokenEncoder] = {}
        for name in config.encoders:
            if name == "onehot":
                built[name] = OneHotEncoder(words, config.word_dim, config.word_dropout)
            elif name == "hash":
                built[name] = HashEncoder(config.hash_buckets, config.hash_dim)
            else:
                built[name] = CharEncoder(chars, config.char_dim, config.char_filters, config.char_kernel)
        self.encoders = nn.ModuleDict(built)
        self.output_dim = sum(e.output_dim for e in built.values())

    def rows(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        """One vector per word: ``(words, output_dim)``."""
        return torch.cat([encoder(features) for encoder in self.encoders.values()], dim=-1)

    def forward(self, features: dict[str, torch.Tensor], positions: torch.Tensor) -> torch.Tensor:
        """``positions`` (batch, time) holds each token's row plus one, 0 for padding."""
        return place(self.rows(features), positions)


def place(rows: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
    """Put word vectors at the sentences' positions: ``(batch, time, dim)``, zeros on padding."""
    return torch.cat([rows.new_zeros(1, rows.shape[1]), rows])[positions]
