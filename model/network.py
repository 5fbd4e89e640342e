"""The joint slot/intent network, built from injected parts.

encoders -> dropout -> recurrent stack -> dropout -> per-token slot scores (softmax or CRF)
                                       \\-> pooled over the sentence -> intent scores
With ``slot_gate``, the pooled sentence also scales each token's state before the slot head
(the slot-gated model of Goo et al., 2018, its attention contexts the states themselves):
``slot scores = W_s (h_t * (1 + g_t))``, ``g_t = v . tanh(h_t + W_i pooled)``.
``forward`` returns scores, and the loss only when gold ids are given; ids become strings
elsewhere (``Tagger``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from .config import TaggerConfig
from .crf import CRF
from .encoders import CombinedEncoder
from .features import Batch
from .recurrent import RecurrentStack

__all__ = ["NetworkOutput", "SlotIntentNetwork"]


@dataclass(slots=True)
class NetworkOutput:
    emissions: torch.Tensor  # (batch, time, tags)
    intent_logits: torch.Tensor  # (batch, intents)
    loss: torch.Tensor | None = None


class SlotIntentNetwork(nn.Module):
    def __init__(self, config: TaggerConfig, *, words: int, chars: int, tags: Sequence[str], intents: int) -> None:
        super().__init__()
        self.config = config
        self.encoder = CombinedEncoder(config, words, chars)
        self.dropout = nn.Dropout(config.dropout)
        self.recurrent = RecurrentStack(
            config.cell,
            self.encoder.output_dim,
            config.hidden_size,
            config.layers,
            config.bidirectional,
            config.dropout,
            jordan_outputs=len(tags),
        )
        width = self.recurrent.output_dim
        self.slot_head = nn.Linear(width, len(tags))
        self.intent_head = nn.Linear(2 * width, intents)
        if config.slot_gate:  # absent otherwise: older checkpoints load, and training draws the same numbers
            self.gate_sentence = nn.Linear(2 * width, width)
            self.gate_vector = nn.Linear(width, 1, bias=False)
        self.crf = CRF(tags) if config.crf else None

    def heads(self, hidden: torch.Tensor, mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Slot scores per token and intent logits from the recurrent states ``(batch, time, width)``.

        The intent sees the whole sentence: the max- and mean-pooled states of its real tokens
        (``mask`` True on them; ``None``: a batch without padding, every position real); with
        the slot gate, so does each token's slot decision.
        """
        # off, the slot head runs first, as before the gate: the order in which backward sums
        # into ``hidden``'s gradient moves the arithmetic, and older recipes must train bit for bit
        emissions = None if self.config.slot_gate else self.slot_head(hidden)
        if mask is None:
            pooled_max, pooled_mean = hidden.max(dim=1).values, hidden.mean(dim=1)
        else:
            valid = mask[:, :, None]
            pooled_max = hidden.masked_fill(~valid, float("-inf")).max(dim=1).values
            pooled_mean = (hidden * valid).sum(dim=1) / valid.sum(dim=1).clamp(min=1)
        pooled = torch.cat([pooled_max, pooled_mean], dim=-1)
        if emissions is None:
            gate = self.gate_vector(torch.tanh(hidden + self.gate_sentence(pooled)[:, None, :]))  # (batch, time, 1)
            emissions = self.slot_head(hidden * (1 + gate))
        return emissions, self.intent_head(pooled)

    def forward(self, batch: Batch, intent_weight: float = 1.0, embedded: torch.Tensor | None = None) -> NetworkOutput:
        """``embedded``: the encoder's output when the caller has it already (inference caches it)."""
        mask = batch.mask
        if embedded is None:
            embedded = self.encoder(batch.features, batch.words)
        hidden = self.recurrent(self.dropout(embedded), batch.lengths)
        emissions, intent_logits = self.heads(self.dropout(hidden), mask)
        output = NetworkOutput(emissions, intent_logits)
        if batch.tags is not None and batch.intents is not None:
            if self.crf is not None:
                slot_loss = self.crf.negative_log_likelihood(emissions, batch.tags, mask)
            else:
                slot_loss = F.cross_entropy(emissions.transpose(1, 2), batch.tags, ignore_index=-100)
            intent_loss = F.cross_entropy(intent_logits, batch.intents)
            output.loss = slot_loss + intent_weight * intent_loss
        return output
