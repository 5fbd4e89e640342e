"""Several networks trained alike (other seeds), voting as one: their probabilities averaged.

An ensemble looks like one network to the tagger: ``encoder.rows`` gives each word the
concatenation of the members' word vectors (so the tagger's word-vector cache works as
for one network), and ``forward`` returns the log of the members' mean slot and intent
probabilities. Members must share their configuration and vocabularies, which training
on the same data guarantees; CRF heads are not averaged (their transition scores live on
different scales), so CRF taggers cannot be ensembled.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from .checkpoint import Checkpoint
from .encoders import place
from .features import Batch
from .network import NetworkOutput, SlotIntentNetwork

__all__ = ["EnsembleNetwork", "combine"]


class _StackedEncoder(nn.Module):
    def __init__(self, members: Sequence[SlotIntentNetwork]) -> None:
        super().__init__()
        self._members = list(members)  # registered by the ensemble, not here
        self.widths = [m.encoder.output_dim for m in members]
        self.output_dim = sum(self.widths)

    def rows(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        return torch.cat([m.encoder.rows(features) for m in self._members], dim=-1)

    def forward(self, features: dict[str, torch.Tensor], positions: torch.Tensor) -> torch.Tensor:
        return place(self.rows(features), positions)


class EnsembleNetwork(nn.Module):
    def __init__(self, members: Sequence[SlotIntentNetwork]) -> None:
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs members")
        if any(m.crf is not None for m in members):
            raise ValueError("taggers with a CRF head cannot be ensembled")
        self.members = nn.ModuleList(members)
        self.config = members[0].config
        self.crf = None
        self.encoder = _StackedEncoder(members)

    def forward(self, batch: Batch, intent_weight: float = 1.0, embedded: torch.Tensor | None = None) -> NetworkOutput:
        if embedded is None:
            embedded = self.encoder(batch.features, batch.words)
        parts = torch.split(embedded, self.encoder.widths, dim=-1)
        slots, intents = [], []
        for member, part in zip(self.members, parts, strict=True):
            output = member(batch, embedded=part)
            slots.append(torch.log_softmax(output.emissions, dim=-1))
            intents.append(torch.log_softmax(output.intent_logits, dim=-1))
        count = torch.log(torch.tensor(float(len(self.members))))
        return NetworkOutput(
            torch.logsumexp(torch.stack(slots), dim=0) - count,
            torch.logsumexp(torch.stack(intents), dim=0) - count,
        )


def combine(checkpoints: Sequence[Checkpoint]) -> Checkpoint:
    """One checkpoint whose members are the given ones' networks (all alike but the weights)."""
    if not checkpoints:
        raise ValueError("nothing to combine")
    first = checkpoints[0]
    for other in checkpoints[1:]:
        if (other.config, other.words, other.chars, other.tags, other.intents) != (
            first.config, first.words, first.chars, first.tags, first.intents,
        ):  # fmt: skip
            raise ValueError("checkpoints differ in configuration or vocabularies: train them alike to combine them")
    if first.config.crf:
        raise ValueError("taggers with a CRF head cannot be ensembled")
    return Checkpoint(
        config=first.config,
        words=first.words,
        chars=first.chars,
        tags=first.tags,
        intents=first.intents,
        state_dicts=[state for c in checkpoints for state in c.state_dicts],
        train_config=first.train_config,
        card={"members": [c.card for c in checkpoints]},
    )
