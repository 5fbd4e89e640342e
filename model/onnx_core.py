"""The network's recurrent layers and heads on ONNX Runtime, for unpadded CPU batches.

PyTorch spends most of a one-sentence call on per-operator overhead (a bidirectional LSTM
over ten words is ~0.5 ms of it); ONNX Runtime runs the same graph in ~0.3 ms all told.
The graph is exported from the loaded weights when a tagger loads, so a checkpoint stays
one self-describing PyTorch file. It covers batches without padding (one sentence, or
sentences of equal length), where the recurrent layer needs no packing and pooling needs
no mask; everything else, and every GPU call, runs in PyTorch. ``tests/model`` checks that
both give the same answers.
"""

from __future__ import annotations

import io
import logging
import warnings

import numpy as np
import torch
from torch import nn

from .ensemble import EnsembleNetwork
from .network import SlotIntentNetwork

__all__ = ["OnnxCore", "onnx_core"]

log = logging.getLogger(__name__)
_FUSED_CELLS = ("lstm", "gru", "elman")


class _Unpadded(nn.Module):
    """``network.forward`` for a batch without padding: embedded words -> (slot log-probs or
    CRF emissions, intent probabilities)."""

    def __init__(self, network: SlotIntentNetwork | EnsembleNetwork) -> None:
        super().__init__()
        self.network = network

    @staticmethod
    def _member(network: SlotIntentNetwork, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return network.heads(network.recurrent.fused(x)[0])  # no padding: no mask

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        network = self.network
        if isinstance(network, EnsembleNetwork):
            parts = torch.split(x, network.encoder.widths, dim=-1)
            outputs = [self._member(m, p) for m, p in zip(network.members, parts, strict=True)]
            count = float(len(outputs))
            slots = torch.stack([torch.softmax(e, dim=-1) for e, _ in outputs]).sum(0) / count
            intents = torch.stack([torch.softmax(i, dim=-1) for _, i in outputs]).sum(0) / count
            return torch.log(slots), intents
        emissions, intent = self._member(network, x)
        if network.crf is None:
            emissions = torch.log_softmax(emissions, dim=-1)
        return emissions, torch.softmax(intent, dim=-1)


class OnnxCore:
    def __init__(self, session) -> None:  # an onnxruntime.InferenceSession
        self.session = session

    def __call__(self, embedded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        emissions, intents = self.session.run(None, {"embedded": embedded})
        return emissions, intents


def onnx_core(network: SlotIntentNetwork | EnsembleNetwork) -> OnnxCore | None:
    """The exported core, or None when ONNX Runtime is missing or the cell is not a fused one.

    One thread per call: a sentence's matrices are too small to split with profit, and
    ``Tagger`` runs calls for different sentence lengths side by side instead."""
    if network.config.cell not in _FUSED_CELLS:
        return None
    try:
        import onnxruntime
    except ImportError:
        return None
    width = network.encoder.output_dim
    buffer = io.BytesIO()
    core = _Unpadded(network).eval()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on RNNs and batch sizes concern it, not us
        torch.onnx.export(
            core, (torch.zeros(1, 3, width),), buffer, input_names=["embedded"], output_names=["slots", "intents"],
            dynamic_axes={"embedded": {0: "batch", 1: "time"}}, dynamo=False,
        )  # fmt: skip
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(buffer.getvalue(), options, providers=["CPUExecutionProvider"])
    return OnnxCore(session)
