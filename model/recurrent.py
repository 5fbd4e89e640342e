"""The recurrent part of the tagger: Elman, Jordan, LSTM or GRU, uni- or bidirectional, stacked.

Elman, LSTM and GRU are PyTorch's fused layers (``nn.RNN`` is the Elman network; the
tests show they compute the lecture's equations). ``feedforward`` has no memory at all:
the per-word classifier the lecture shows cannot tell "arrive Taipei" from "leave Taipei".
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .jordan import JordanLayer

__all__ = ["RecurrentStack"]

_FUSED = {"lstm": nn.LSTM, "gru": nn.GRU, "elman": nn.RNN}


class RecurrentStack(nn.Module):
    """``layers`` recurrent layers with dropout between them; output ``(batch, time, output_dim)``."""

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        layers: int,
        bidirectional: bool,
        dropout: float,
        jordan_outputs: int,
    ) -> None:
        super().__init__()
        self.cell = cell
        directions = 2 if bidirectional else 1
        self.output_dim = hidden_size * directions
        self.between = nn.Dropout(dropout)
        if cell in _FUSED:
            self.fused = _FUSED[cell](
                input_size,
                hidden_size,
                num_layers=layers,
                bidirectional=bidirectional,
                batch_first=True,
                dropout=dropout if layers > 1 else 0.0,
            )
        elif cell == "jordan":
            self.stack = nn.ModuleList(
                JordanLayer(input_size if i == 0 else self.output_dim, hidden_size, jordan_outputs, bidirectional)
                for i in range(layers)
            )
        elif cell == "feedforward":
            self.stack = nn.ModuleList(
                nn.Linear(input_size if i == 0 else self.output_dim, self.output_dim) for i in range(layers)
            )
        else:
            raise ValueError(f"unknown cell {cell!r}")

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        if self.cell in _FUSED:
            if bool((lengths == x.shape[1]).all()):  # nothing padded (one sentence): skip packing
                return self.fused(x)[0]
            packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, _ = self.fused(packed)
            return pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])[0]
        for i, layer in enumerate(self.stack):
            if i > 0:
                x = self.between(x)
            x = layer(x, lengths) if self.cell == "jordan" else torch.tanh(layer(x))
        return x
