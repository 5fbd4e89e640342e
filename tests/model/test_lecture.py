"""The lecture's worked examples, and proof that the fast layers compute its equations."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from model.textbook import elman_network, lstm_layer, lstm_step


def _elman_outputs(inputs: list[list[float]]) -> tuple[list[list[float]], list[list[float]]]:
    ones = torch.ones(2, 2)
    memories, outputs = elman_network([torch.tensor(x, dtype=torch.float32) for x in inputs], ones, ones, ones)
    return [m.tolist() for m in memories], [o.tolist() for o in outputs]


def test_elman_worked_example() -> None:
    memories, outputs = _elman_outputs([[1, 1], [1, 1], [2, 2]])
    assert memories == [[2, 2], [6, 6], [16, 16]]
    assert outputs == [[4, 4], [12, 12], [32, 32]]


def test_elman_same_input_different_output_and_order_matters() -> None:
    _, outputs = _elman_outputs([[1, 1], [1, 1], [2, 2]])
    assert outputs[0] != outputs[1]  # same input [1, 1], different memory
    _, reordered = _elman_outputs([[2, 2], [1, 1], [1, 1]])
    assert reordered != outputs
    assert reordered == [[8, 8], [20, 20], [44, 44]]


def test_lstm_worked_example() -> None:
    c = torch.tensor(0.0)
    memories, outputs = [], []
    for x1, x2, x3 in [(3, 1, 0), (4, 1, 0), (2, 0, 0), (1, 0, 1), (3, -1, 0)]:
        c, a = lstm_step(
            z=torch.tensor(float(x1)),
            z_i=torch.tensor(100.0 * x2 - 10),
            z_f=torch.tensor(100.0 * x2 + 10),
            z_o=torch.tensor(100.0 * x3 - 10),
            c=c,
        )
        memories.append(c.item())
        outputs.append(a.item())
    assert memories == pytest.approx([3, 7, 7, 7, 0], abs=0.01)
    assert outputs == pytest.approx([0, 0, 0, 7, 0], abs=0.01)


def test_textbook_elman_equals_nn_rnn() -> None:
    torch.manual_seed(0)
    rnn = nn.RNN(5, 4, nonlinearity="tanh", batch_first=True)
    x = torch.randn(1, 7, 5)
    expected, _ = rnn(x)
    bias = rnn.bias_ih_l0 + rnn.bias_hh_l0
    memories, _ = elman_network(
        list(x[0]),
        rnn.weight_ih_l0,
        rnn.weight_hh_l0,
        torch.eye(4),
        b_hidden=bias,
        hidden_activation=torch.tanh,
    )
    assert torch.allclose(torch.stack(memories), expected[0], atol=1e-5)


def test_textbook_lstm_equals_nn_lstm() -> None:
    torch.manual_seed(0)
    lstm = nn.LSTM(5, 4, batch_first=True)
    x = torch.randn(1, 9, 5)
    expected_out, (_, expected_c) = lstm(x)
    # PyTorch stacks the four signals' weights in the order input gate, forget gate, cell value, output gate
    order = {"i": 0, "f": 1, "z": 2, "o": 3}
    w = {k: lstm.weight_ih_l0.chunk(4)[i] for k, i in order.items()}
    u = {k: lstm.weight_hh_l0.chunk(4)[i] for k, i in order.items()}
    b = {k: (lstm.bias_ih_l0 + lstm.bias_hh_l0).chunk(4)[i] for k, i in order.items()}
    memories, outputs = lstm_layer(list(x[0]), w, u, b)
    assert torch.allclose(torch.stack(outputs), expected_out[0], atol=1e-5)
    assert torch.allclose(memories[-1], expected_c[0, 0], atol=1e-5)


def test_lstm_layer_has_four_times_the_parameters_and_gru_three() -> None:
    plain = sum(p.numel() for p in nn.RNN(10, 20).parameters())
    assert sum(p.numel() for p in nn.LSTM(10, 20).parameters()) == 4 * plain
    assert sum(p.numel() for p in nn.GRU(10, 20).parameters()) == 3 * plain
