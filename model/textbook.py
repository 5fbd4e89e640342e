"""The lecture's equations, written the way the lecture writes them.

Readable, slow, and exact: tests use these functions to reproduce the lecture's worked
examples, and to show that PyTorch's fused ``nn.RNN`` and ``nn.LSTM`` compute the very
same thing given the same weights. Activations are parameters, as in the lecture (where
the worked examples use linear ones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch

__all__ = ["elman_network", "elman_step", "lstm_cell_step", "lstm_layer", "lstm_step", "sigmoid"]

Activation = Callable[[torch.Tensor], torch.Tensor]


def identity(x: torch.Tensor) -> torch.Tensor:
    return x


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    return 1.0 / (1.0 + torch.exp(-x))


def elman_step(
    x: torch.Tensor,
    memory: torch.Tensor,
    w_input: torch.Tensor,
    w_memory: torch.Tensor,
    w_output: torch.Tensor,
    b_hidden: torch.Tensor | None = None,
    b_output: torch.Tensor | None = None,
    hidden_activation: Activation = identity,
    output_activation: Activation = identity,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One step: the hidden layer sees the input and the memory; its value is the new memory.

    Returns ``(hidden, output)``; ``hidden`` is what is written into the memory cells.
    """
    pre = w_input @ x + w_memory @ memory
    if b_hidden is not None:
        pre = pre + b_hidden
    hidden = hidden_activation(pre)
    out = w_output @ hidden
    if b_output is not None:
        out = out + b_output
    return hidden, output_activation(out)


def elman_network(
    inputs: Iterable[torch.Tensor],
    w_input: torch.Tensor,
    w_memory: torch.Tensor,
    w_output: torch.Tensor,
    **step_options: object,
) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Feed a sequence through ``elman_step`` from an all-zero memory: (memories, outputs)."""
    memory = torch.zeros(w_memory.shape[0], dtype=w_memory.dtype)
    memories, outputs = [], []
    for x in inputs:
        memory, out = elman_step(x, memory, w_input, w_memory, w_output, **step_options)  # type: ignore[arg-type]
        memories.append(memory)
        outputs.append(out)
    return memories, outputs


def lstm_step(
    z: torch.Tensor,
    z_i: torch.Tensor,
    z_f: torch.Tensor,
    z_o: torch.Tensor,
    c: torch.Tensor,
    g: Activation = identity,
    h: Activation = identity,
    f: Activation = sigmoid,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The lecture's LSTM cell: ``c' = g(z) f(z_i) + c f(z_f)``, ``a = h(c') f(z_o)``.

    Returns ``(c', a)``: the new memory and the output. A forget-gate value of 1 keeps the
    memory, 0 erases it.
    """
    c_new = g(z) * f(z_i) + c * f(z_f)
    a = h(c_new) * f(z_o)
    return c_new, a


def lstm_cell_step(
    x: torch.Tensor,
    a_previous: torch.Tensor,
    c: torch.Tensor,
    w: dict[str, torch.Tensor],
    u: dict[str, torch.Tensor],
    b: dict[str, torch.Tensor],
    g: Activation = torch.tanh,
    h: Activation = torch.tanh,
    f: Activation = sigmoid,
) -> tuple[torch.Tensor, torch.Tensor]:
    """A layer of LSTM cells as used in practice: the four signals ``z, z_i, z_f, z_o`` are
    computed from the input and the previous output by four weight matrices (``w``, ``u``
    and ``b`` keyed by ``"z", "i", "f", "o"``), then ``lstm_step`` does the rest."""
    signal = {k: w[k] @ x + u[k] @ a_previous + b[k] for k in ("z", "i", "f", "o")}
    return lstm_step(signal["z"], signal["i"], signal["f"], signal["o"], c, g=g, h=h, f=f)


def lstm_layer(
    inputs: Iterable[torch.Tensor],
    w: dict[str, torch.Tensor],
    u: dict[str, torch.Tensor],
    b: dict[str, torch.Tensor],
    **activations: Activation,
) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Run ``lstm_cell_step`` over a sequence from zero memory and output: (memories, outputs)."""
    size = u["z"].shape[0]
    a = torch.zeros(size, dtype=u["z"].dtype)
    c = torch.zeros(size, dtype=u["z"].dtype)
    memories, outputs = [], []
    for x in inputs:
        c, a = lstm_cell_step(x, a, c, w, u, b, **activations)
        memories.append(c)
        outputs.append(a)
    return memories, outputs
