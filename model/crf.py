"""A linear-chain CRF over slot tags, with the BIO scheme built in.

Training maximises the log-likelihood of the gold sequence under transition scores that
forbid ``I-x`` after anything but ``B-x``/``I-x``; decoding is ``viterbi.viterbi`` on the
same scores, so training and decoding agree on what is possible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from .bio import allowed_transitions

__all__ = ["CRF"]

_FORBIDDEN = -1e4  # finite, so gradients stay defined; exp(-1e4) is 0 in float32


class CRF(nn.Module):
    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__()
        start, transitions = allowed_transitions(tags)
        size = len(tags)
        self.transitions = nn.Parameter(torch.zeros(size, size))
        self.start = nn.Parameter(torch.zeros(size))
        self.end = nn.Parameter(torch.zeros(size))
        self.register_buffer(
            "transition_penalty", torch.from_numpy(np.where(transitions, 0.0, _FORBIDDEN)).float(), persistent=False
        )
        self.register_buffer(
            "start_penalty", torch.from_numpy(np.where(start, 0.0, _FORBIDDEN)).float(), persistent=False
        )

    def potentials(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Transition, start and end scores with the forbidden moves applied."""
        return self.transitions + self.transition_penalty, self.start + self.start_penalty, self.end

    def negative_log_likelihood(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean over the batch; ``tags`` hold any valid id where ``mask`` is False."""
        transitions, start, end = self.potentials()
        tags = tags.masked_fill(~mask, 0)
        batch, time, _ = emissions.shape
        index = torch.arange(batch, device=emissions.device)
        lengths = mask.sum(dim=1)
        # score of the gold path, all steps at once
        gold = start[tags[:, 0]] + (emissions.gather(2, tags[:, :, None]).squeeze(2) * mask).sum(dim=1)
        steps = transitions[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]
        gold = gold + steps.sum(dim=1) + end[tags[index, lengths - 1]]
        # log partition function
        alpha = start[None, :] + emissions[:, 0]
        for t in range(1, time):
            nxt = torch.logsumexp(alpha[:, :, None] + transitions[None], dim=1) + emissions[:, t]
            alpha = torch.where(mask[:, t, None], nxt, alpha)
        log_z = torch.logsumexp(alpha + end[None, :], dim=1)
        return (log_z - gold).mean()
