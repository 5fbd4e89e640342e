"""An ensemble's members as one network: one recurrent layer with block-diagonal weights.

An ensemble of M taggers alike but for the seed runs M recurrent layers and M pairs of
heads one after the other. Here they become one: the merged layer has M times the hidden
units, and each weight matrix holds the members' matrices on its diagonal blocks (gate by
gate, direction by direction) and zeros elsewhere, so unit ``m*H + j`` of the merged layer
computes exactly member ``m``'s unit ``j``. The heads are one matrix product each, whose
outputs are the members' side by side; the slot and intent probabilities are then averaged
as ``EnsembleNetwork`` does. One LSTM operator instead of M is fewer calls, at the price
of M times the multiply-adds in the recurrent step (the off-diagonal zeros): it pays while
per-call overhead outweighs arithmetic, as for one short sentence on the CPU
(``bench/ensemble_speed.py`` measures both ways).
"""

from __future__ import annotations

import torch
from torch import nn

from .ensemble import EnsembleNetwork

__all__ = ["MergedMembers", "can_merge"]

_GATES = {"lstm": 4, "gru": 3, "elman": 1}
_LAYERS = {"lstm": nn.LSTM, "gru": nn.GRU, "elman": nn.RNN}


def can_merge(network: nn.Module) -> bool:
    """An ensemble of fused softmax-headed cells (LSTM, GRU, Elman) without a slot gate merges;
    anything else does not."""
    if not isinstance(network, EnsembleNetwork):
        return False
    return network.config.cell in _GATES and not (network.config.crf or network.config.slot_gate)


class MergedMembers(nn.Module):
    """Embedded words ``(batch, time, M*D)`` (the ensemble encoder's output) -> (log of the mean
    slot probabilities, mean intent probabilities), for batches without padding."""

    def __init__(self, ensemble: EnsembleNetwork) -> None:
        super().__init__()
        if not can_merge(ensemble):
            raise ValueError("only an ensemble of LSTM, GRU or Elman taggers with softmax heads merges")
        members = list(ensemble.members)
        config = ensemble.config
        self.count, hidden, layers = len(members), config.hidden_size, config.layers
        self.directions = 2 if config.bidirectional else 1
        widths = ensemble.encoder.widths
        layer = members[0].recurrent.fused
        self.layer = _LAYERS[config.cell](
            sum(widths), hidden * self.count, num_layers=layers, bidirectional=config.bidirectional,
            batch_first=True, **({"nonlinearity": layer.nonlinearity} if config.cell == "elman" else {}),
        )  # fmt: skip
        gates = _GATES[config.cell]
        member_inputs = [_input_columns(m, widths, hidden, self.count, self.directions) for m in range(self.count)]
        with torch.no_grad():
            for name, merged in self.layer.named_parameters():
                merged.zero_()
                for m, member in enumerate(members):
                    own = getattr(member.recurrent.fused, name)
                    rows = _gate_rows(m, hidden, self.count, gates)
                    if name.startswith("bias"):
                        merged[rows] = own
                        continue
                    if name.startswith("weight_hh"):
                        columns = torch.arange(m * hidden, (m + 1) * hidden)
                    else:
                        columns = member_inputs[m][0 if name.startswith("weight_ih_l0") else 1]
                    merged[rows[:, None], columns[None, :]] = own
        states = [_state_columns(m, hidden, self.count, self.directions) for m in range(self.count)]
        self.register_buffer("states", torch.stack(states))  # (M, directions*H): member m's units in the output
        self.slot_weight = nn.Parameter(torch.stack([m.slot_head.weight for m in members]).detach())  # (M, tags, 2H)
        self.slot_bias = nn.Parameter(torch.stack([m.slot_head.bias for m in members]).detach())
        self.intent_weight = nn.Parameter(torch.stack([m.intent_head.weight for m in members]).detach())
        self.intent_bias = nn.Parameter(torch.stack([m.intent_head.bias for m in members]).detach())

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.layer(x)[0]  # (batch, time, directions * M*H)
        mine = out[:, :, self.states]  # (batch, time, M, directions*H): each member's own states
        slots = torch.einsum("btmh,mkh->btmk", mine, self.slot_weight) + self.slot_bias
        pooled = torch.cat([mine.max(dim=1).values, mine.mean(dim=1)], dim=-1)  # (batch, M, 2*directions*H)
        intents = torch.einsum("bmh,mkh->bmk", pooled, self.intent_weight) + self.intent_bias
        return torch.log(torch.softmax(slots, dim=-1).mean(dim=2)), torch.softmax(intents, dim=-1).mean(dim=1)


def _gate_rows(member: int, hidden: int, count: int, gates: int) -> torch.Tensor:
    """Rows of a merged weight that are member ``member``'s: its ``hidden`` rows in each gate."""
    return torch.cat([torch.arange(g * count * hidden + member * hidden, g * count * hidden + (member + 1) * hidden)
                      for g in range(gates)])  # fmt: skip


def _state_columns(member: int, hidden: int, count: int, directions: int) -> torch.Tensor:
    """Where member ``member``'s states lie in the merged layer's output, direction by direction."""
    return torch.cat([torch.arange(d * count * hidden + member * hidden, d * count * hidden + (member + 1) * hidden)
                      for d in range(directions)])  # fmt: skip


def _input_columns(
    member: int, widths: list[int], hidden: int, count: int, directions: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """(first layer's, later layers') input columns that are member ``member``'s."""
    start = sum(widths[:member])
    first = torch.arange(start, start + widths[member])
    return first, _state_columns(member, hidden, count, directions)
