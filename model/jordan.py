"""The Jordan network: the output layer's values, not the hidden layer's, are remembered.

At each step ``h_t = tanh(W x_t + U y_{t-1} + b)`` and ``y_t = softmax(V h_t + c)``; the
stored value ``y`` is a distribution over the layer's outputs, which is what the lecture
means by a memory with "a clear meaning". PyTorch has no such layer, so this is ours: a
step loop over precomputed input projections.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["JordanLayer", "reverse_padded"]


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence of ``x`` (batch, time, dim) within its own length."""
    batch, time = x.shape[:2]
    steps = torch.arange(time, device=x.device)[None, :].expand(batch, time)
    lengths = lengths.to(x.device)[:, None]
    index = torch.where(steps < lengths, lengths - 1 - steps, steps)
    return x.gather(1, index[:, :, None].expand_as(x))


class _JordanDirection(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, output_size: int) -> None:
        super().__init__()
        self.input = nn.Linear(input_size, hidden_size)
        self.feedback = nn.Linear(output_size, hidden_size, bias=False)
        self.output = nn.Linear(hidden_size, output_size)
        self.output_size = output_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        projected = self.input(x)  # (batch, time, hidden), all steps at once
        y = x.new_zeros(x.shape[0], self.output_size)
        hidden = []
        for t in range(x.shape[1]):
            h = torch.tanh(projected[:, t] + self.feedback(y))
            y = torch.softmax(self.output(h), dim=-1)
            hidden.append(h)
        return torch.stack(hidden, dim=1)


class JordanLayer(nn.Module):
    """One Jordan layer, optionally bidirectional; returns the hidden states of every step."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int, bidirectional: bool) -> None:
        super().__init__()
        self.forward_direction = _JordanDirection(input_size, hidden_size, output_size)
        self.backward_direction = _JordanDirection(input_size, hidden_size, output_size) if bidirectional else None

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        out = self.forward_direction(x)
        if self.backward_direction is None:
            return out
        backward = reverse_padded(self.backward_direction(reverse_padded(x, lengths)), lengths)
        return torch.cat([out, backward], dim=-1)
