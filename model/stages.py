"""``Tagger.parse`` taken apart: each step of tagging as a call of its own, for profiling.

``parse`` runs the steps fused: word vectors come from a cache, and on the CPU the
recurrent layers and heads of an unpadded batch run on ONNX Runtime. Here each step runs
alone, in eager PyTorch (``onnx`` is the fused alternative, when the tagger has it), so a
profile can time one at a time. In order, featurize -> embed -> recurrent -> heads ->
decode give what ``parse`` gives (``tests/model/test_stages.py``). One network only: an
ensemble's steps are its members'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch

from .features import Batch
from .network import SlotIntentNetwork
from .onnx_core import OnnxCore

if TYPE_CHECKING:
    from .tagger import Tagger

__all__ = ["Stages", "potentials"]


def potentials(emissions: torch.Tensor, intent_logits: torch.Tensor, crf: bool) -> tuple[np.ndarray, np.ndarray]:
    """The network's outputs as decoding takes them, in NumPy on the CPU: per-token
    log-potentials (a softmax head's log-probabilities; a CRF's emissions as they are)
    and the intent's probabilities."""
    if not crf:
        emissions = torch.log_softmax(emissions, dim=-1)
    intent_probs = torch.softmax(intent_logits, dim=-1)
    return emissions.detach().float().cpu().numpy(), intent_probs.detach().float().cpu().numpy()


class Stages:
    """The steps of ``tagger.parse`` for a batch of token lists; use ``Tagger.stages()``.

    Call the PyTorch steps under ``torch.inference_mode()``, as ``parse`` does.
    """

    def __init__(self, tagger: Tagger, network: SlotIntentNetwork, onnx: OnnxCore | None) -> None:
        self.tagger = tagger
        self.network = network
        self.onnx = onnx  # embedded words (NumPy) -> what ``heads`` returns, on ONNX Runtime; None: not accelerated

    @property
    def encoders(self) -> tuple[str, ...]:
        """The network's encoders by name, in the order their vectors are concatenated."""
        return tuple(self.network.encoder.encoders)

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Batch:
        """Ids of the batch's distinct words (word ids, trigram buckets, letters), on the tagger's device."""
        return self.tagger.featurizer(sentences).to(self.tagger.device)

    def encode(self, name: str, batch: Batch) -> torch.Tensor:
        """One encoder's vectors of the batch's distinct words: ``(words, dim)``."""
        return self.network.encoder.encoders[name](batch.features)

    def embed(self, batch: Batch) -> torch.Tensor:
        """Every encoder, concatenated and placed at the sentences' positions: ``(batch, time, dim)``."""
        return self.network.encoder(batch.features, batch.words)

    def recurrent(self, embedded: torch.Tensor, batch: Batch) -> torch.Tensor:
        """The recurrent layers: ``(batch, time, width)``; packed only when the batch has padding."""
        return self.network.recurrent(embedded, batch.lengths)

    def heads(self, hidden: torch.Tensor, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """Slot log-potentials ``(batch, time, tags)`` and intent probabilities ``(batch, intents)``."""
        emissions, intent_logits = self.network.heads(hidden, batch.mask)
        return potentials(emissions, intent_logits, self.network.crf is not None)

    def decode(
        self, scores: np.ndarray, *, confidences: bool = True, keep: int | None = None
    ) -> tuple[list[int], np.ndarray | None]:
        """One sentence's tag ids from its ``(time, tags)`` log-potentials, and their confidences
        (``Tagger.decode``)."""
        return self.tagger.decode(scores, confidences=confidences, keep=keep)
