"""Inference: a trained network plus its vocabularies, turning text into slots and an intent.

Emissions come from the network in one batched call; decoding (BIO-constrained Viterbi,
or the CRF's Viterbi) and confidences (chain marginals) run per sentence in NumPy on
the CPU; spans are read off the tags last. Each step is its own function.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .bio import allowed_transitions, bio_spans
from .checkpoint import Checkpoint, load_checkpoint
from .config import TaggerConfig
from .device import resolve_device
from .encoders import place
from .ensemble import EnsembleNetwork
from .errors import TaggerError
from .features import Batch, Featurizer
from .network import SlotIntentNetwork
from .onnx_core import OnnxCore, onnx_core
from .stages import Stages, potentials
from .tokenize import tokenize
from .viterbi import decode as decode_chain
from .viterbi import decode_batch
from .vocab import LabelSet, Vocabulary

__all__ = ["DEFAULT_MODEL", "Parse", "Span", "Tagger", "bundled_model_path"]

DEFAULT_MODEL = "atis.pt"
_CACHED_WORDS = 50_000  # ~45 MB of word vectors at most


@dataclass(frozen=True, slots=True)
class Span:
    """A slot value: ``tokens[start:end]``; ``confidence`` is the probability, under the
    model, of its least certain token carrying the tag it was given."""

    slot: str
    text: str
    start: int
    end: int
    confidence: float


@dataclass(frozen=True, slots=True)
class Parse:
    tokens: list[str]
    tags: list[str]
    spans: list[Span]
    intent: str
    intent_confidence: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def bundled_model_path(name: str = DEFAULT_MODEL) -> Path:
    """Where the model shipped inside the package lies (``model/bundled/``), installed or not:
    ``Tagger.load()`` loads it, ``ticketbot card`` describes it; ``name`` picks another file there."""
    return Path(str(resources.files("model") / "bundled" / name))


def _head_confidence(scores: np.ndarray, path: Sequence[int], temperature: float) -> np.ndarray:
    """A softmax head's own (tempered) probability of each token's tag on ``path``."""
    tempered = scores / temperature
    tempered -= tempered.max(axis=1, keepdims=True)
    probabilities = np.exp(tempered)
    return probabilities[np.arange(len(path)), path] / probabilities.sum(axis=1)


def _is_mark(token: str) -> bool:
    """Punctuation or a symbol only ("," "?!" "->"), in any script."""
    return all(unicodedata.category(c)[0] in "PS" for c in token)


def _restored(parse: Parse, tokens: list[str], kept: list[int]) -> Parse:
    """A parse of ``tokens[kept]`` as one of ``tokens``: the left-out tokens are ``O`` unless
    a span runs across them ("new , york"), the spans' indices those of ``tokens``."""
    tags = ["O"] * len(tokens)
    spans = []
    for span in parse.spans:
        start, end = kept[span.start], kept[span.end - 1] + 1
        tags[start : end] = ["B-" + span.slot] + ["I-" + span.slot] * (end - start - 1)
        spans.append(Span(span.slot, " ".join(tokens[start:end]), start, end, span.confidence))
    return Parse(tokens, tags, spans, parse.intent, parse.intent_confidence)


class Tagger:
    """A loaded tagger, on one device; use ``Tagger.load`` (``None`` = the bundled model)."""

    def __init__(
        self,
        network: SlotIntentNetwork | EnsembleNetwork,
        featurizer: Featurizer,
        tags: LabelSet,
        intents: LabelSet,
        device: torch.device,
        card: dict[str, Any] | None = None,
    ) -> None:
        self.network = network.to(device).eval()
        self.featurizer = featurizer
        self.tags = tags
        self.intents = intents
        self.device = device
        self.card = card or {}
        self._potentials: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._outside = tags.index("O")
        self._vectors: dict[str, torch.Tensor] = {}
        self._onnx: OnnxCore | None = None
        self._pool: ThreadPoolExecutor | None = None  # ONNX Runtime calls side by side (``_onnx_groups``)
        self._pool_threads = 0
        self.keep = 10  # labels per token in the decoding lattice; len(tags) decodes exactly
        self.temperature = 1.0  # divides the potentials when confidences are computed (calibration)

    def members(self) -> list[SlotIntentNetwork]:
        """The networks that vote: one, or an ensemble's members."""
        network = self.network
        return list(network.members) if isinstance(network, EnsembleNetwork) else [network]  # type: ignore[arg-type]

    @property
    def config(self) -> TaggerConfig:
        return self.network.config

    # construction ------------------------------------------------------------------
    @classmethod
    def from_checkpoint(cls, checkpoint: Checkpoint, device: str | torch.device | None = None) -> Tagger:
        words, chars = Vocabulary(checkpoint.words), Vocabulary(checkpoint.chars)
        members = []
        for state in checkpoint.state_dicts:
            member = SlotIntentNetwork(
                checkpoint.config, words=len(words), chars=len(chars), tags=checkpoint.tags,
                intents=len(checkpoint.intents),
            )  # fmt: skip
            member.load_state_dict(state)
            members.append(member)
        network = members[0] if len(members) == 1 else EnsembleNetwork(members)
        tagger = cls(
            network,
            Featurizer(checkpoint.config, words, chars),
            LabelSet(checkpoint.tags),
            LabelSet(checkpoint.intents),
            resolve_device(device),
            checkpoint.card,
        )
        tagger.temperature = checkpoint.temperature
        return tagger

    @classmethod
    def load(
        cls, path: str | Path | None = None, device: str | torch.device | None = None, *, accelerate: bool = True
    ) -> Tagger:
        """Load a checkpoint file; without a path, the default model shipped in the package.

        ``accelerate``: on the CPU, run one-sentence calls on ONNX Runtime (see ``accelerate``).
        """
        tagger = cls.from_checkpoint(load_checkpoint(path or bundled_model_path()), device)
        if accelerate:
            tagger.accelerate()
        return tagger

    def to_checkpoint(self, **extra: Any) -> Checkpoint:
        return Checkpoint(
            config=self.config,
            words=self.featurizer.words.items(),
            chars=self.featurizer.chars.items(),
            tags=self.tags.labels(),
            intents=self.intents.labels(),
            state_dicts=[m.state_dict() for m in self.members()],
            card=self.card,
            temperature=self.temperature,
            **extra,
        )

    # inference -----------------------------------------------------------------------
    def parse(self, texts: str | Sequence[str | Sequence[str]], batch_size: int = 128) -> list[Parse]:
        """Parse raw strings (tokenized here) or token lists; one ``Parse`` per input.

        Marks the training data never had (ATIS has no punctuation at all) are not shown to the
        network: what it makes of an unknown "," or ":" is arbitrary (one model read the comma
        of "no, seattle wa" as a destination). They come back tagged ``O``, or inside a span
        that runs across them, so every index still points into the full token list. A message of
        marks alone ("?") is shown as it is.
        """
        if isinstance(texts, str):
            texts = [texts]
        sentences = [tokenize(t) if isinstance(t, str) else list(t) for t in texts]
        known = self.featurizer.words
        kept = [[i for i, token in enumerate(s) if token in known or not _is_mark(token)] for s in sentences]
        kept = [k or list(range(len(s))) for k, s in zip(kept, sentences, strict=True)]  # "?": nothing else to read
        if all(len(k) == len(s) for k, s in zip(kept, sentences, strict=True)):
            return self.parse_scores(self.score(sentences, batch_size))
        shown = [[s[i] for i in k] for s, k in zip(sentences, kept, strict=True)]
        parses = self.parse_scores(self.score(shown, batch_size))
        return [_restored(p, s, k) for p, s, k in zip(parses, sentences, kept, strict=True)]

    def predict(self, sentences: Sequence[Sequence[str]], batch_size: int = 256) -> tuple[list[list[str]], list[str]]:
        """Tags and intents only (no confidences), for evaluation; empty sentences get none."""
        scored = self.score(sentences, batch_size)
        paths = self._paths(scored)
        tags = [[self.tags[j] for j in path] for path in paths]
        intents = [self.intents[int(p.argmax())] if t else "" for t, _, p in scored]
        return tags, intents

    def decode(
        self, scores: np.ndarray, *, confidences: bool = True, temperature: float | None = None, keep: int | None = None
    ) -> tuple[list[int], np.ndarray | None]:
        """One sentence's tag ids from its ``(time, tags)`` log-potentials and, with ``confidences``,
        each token's probability of the tag it got, as ``parse`` reports it (``parse_scores``),
        at ``temperature`` (default ``self.temperature``).

        The path is the BIO-constrained Viterbi path (with the CRF's transitions, if any) over a
        lattice of each token's ``keep`` likeliest labels (default ``self.keep``; ``len(self.tags)``
        decodes exactly).
        """
        temperature = self.temperature if temperature is None else temperature
        chained = self.network.crf is not None
        path, marginals = decode_chain(
            scores, *self._chain(), keep=self.keep if keep is None else keep, always=self._outside,
            marginals=confidences and chained, temperature=temperature,
        )  # fmt: skip
        if confidences and not chained:
            return path, _head_confidence(scores, path, temperature)
        return path, marginals

    def stages(self) -> Stages:
        """``parse``'s steps as calls of their own, for profiling (``model.stages``)."""
        if isinstance(self.network, EnsembleNetwork):
            raise TaggerError("an ensemble's stages are its members': profile one network at a time")
        return Stages(self, self.network, self._onnx)

    def _paths(self, scored: Sequence[tuple[list[str], np.ndarray, np.ndarray]]) -> list[list[int]]:
        """Best tag sequences; sentences of one length are decoded together (``decode_batch``)."""
        paths: list[list[int]] = [[] for _ in scored]
        by_length: dict[int, list[int]] = {}
        for i, (tokens, _, _) in enumerate(scored):
            if tokens:
                by_length.setdefault(len(tokens), []).append(i)
        for group in by_length.values():
            if len(group) == 1:  # one sentence: the plain decoder has less to set up
                paths[group[0]] = self.decode(scored[group[0]][1], confidences=False)[0]
                continue
            emissions = np.stack([scored[i][1] for i in group])
            batch_paths = decode_batch(emissions, *self._chain(), keep=self.keep, always=self._outside)
            for i, path in zip(group, batch_paths, strict=True):
                paths[i] = path.tolist()
        return paths

    def _scores(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Per-token log-potentials and intent probabilities, computed in one network call."""
        distinct, positions, lengths, mask = self.featurizer.index(sentences)
        with torch.inference_mode():
            embedded = place(self._word_vectors(distinct), positions.to(self.device))
            batch = Batch({}, positions, lengths, mask.to(self.device))
            output = self.network(batch, embedded=embedded)
            return potentials(output.emissions, output.intent_logits, self.network.crf is not None)

    def _embedded(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """The encoder's output for sentences of one length, as ONNX Runtime takes it."""
        distinct, positions, _, _ = self.featurizer.index(sentences)
        with torch.inference_mode():
            return place(self._word_vectors(distinct), positions).numpy()

    def _onnx_groups(self, groups: Sequence[Sequence[Sequence[str]]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """ONNX Runtime over groups of equal-length sentences. The encoder runs here, one group
        after another (it holds the GIL and fills a shared cache); with several threads the
        recurrent layers of different groups run side by side (ONNX Runtime lets go of the
        GIL), which beats splitting each small matrix product between threads."""
        assert self._onnx is not None
        threads = torch.get_num_threads()
        if threads == 1 or len(groups) == 1:
            return [self._onnx(self._embedded(g)) for g in groups]
        if self._pool is None or self._pool_threads != threads:
            if self._pool is not None:
                self._pool.shutdown(wait=False)
            self._pool, self._pool_threads = ThreadPoolExecutor(threads, thread_name_prefix="onnx"), threads
        futures = [self._pool.submit(self._onnx, self._embedded(g)) for g in groups]
        return [f.result() for f in futures]

    def _word_vectors(self, words: Sequence[str]) -> torch.Tensor:
        """The encoder's vector of each word, from a cache: in inference a word's vector never
        changes, and the same few hundred words make up most messages."""
        missing = [w for w in words if w not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > _CACHED_WORDS:
                self._vectors.clear()
            features = {k: v.to(self.device) for k, v in self.featurizer.features(missing).items()}
            self._vectors.update(zip(missing, self.network.encoder.rows(features), strict=True))
        return torch.stack([self._vectors[w] for w in words])

    def refresh(self) -> None:
        """Forget what was computed from the weights (call after changing them)."""
        self._potentials = None
        self._vectors.clear()
        self._onnx = None

    def accelerate(self) -> bool:
        """Serve unpadded CPU batches (a single sentence, typically) with ONNX Runtime.

        True when it took effect: the tagger is on the CPU, its cell is a fused one, and
        ``onnxruntime`` is installed. Call ``refresh`` after changing the weights.
        """
        if self.device.type == "cpu" and self._onnx is None:
            self._onnx = onnx_core(self.network)
        return self._onnx is not None

    def _chain(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Transition, start and end scores, ``-inf`` where BIO forbids a move (cached)."""
        if self._potentials is None:
            start_ok, transitions_ok = allowed_transitions(self.tags.labels())
            transitions = np.zeros(transitions_ok.shape)
            start = np.zeros(len(start_ok))
            end = np.zeros(len(start_ok))
            if self.network.crf is not None:
                crf = self.network.crf
                transitions = crf.transitions.detach().cpu().double().numpy()
                start = crf.start.detach().cpu().double().numpy()
                end = crf.end.detach().cpu().double().numpy()
            self._potentials = (
                np.where(transitions_ok, transitions, -np.inf),
                np.where(start_ok, start, -np.inf),
                end,
            )
        return self._potentials

    def score(
        self, sentences: Sequence[Sequence[str]], batch_size: int = 256
    ) -> list[tuple[list[str], np.ndarray, np.ndarray]]:
        """Run the network only: (tokens, emissions, intent probabilities) per sentence, in order.

        With ONNX Runtime, sentences of equal length go together (no padding: its fast path);
        otherwise they go in padded batches of ``batch_size``.
        """
        scored: list[tuple[list[str], np.ndarray, np.ndarray] | None] = [None] * len(sentences)
        empty = (np.zeros((0, len(self.tags))), np.zeros(len(self.intents)))
        order = [i for i, s in enumerate(sentences) if s]
        for i, s in enumerate(sentences):
            if not s:
                scored[i] = ([], *empty)
        if self._onnx is not None:
            order.sort(key=lambda i: len(sentences[i]))
            groups = [
                [i for i in order[b : b + batch_size] if len(sentences[i]) == n]
                for b in range(0, len(order), batch_size)
                for n in sorted({len(sentences[i]) for i in order[b : b + batch_size]})
            ]
        else:
            groups = [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
        chunks = [[list(sentences[i]) for i in group] for group in groups]
        outputs = self._onnx_groups(chunks) if self._onnx is not None else [self._scores(c) for c in chunks]
        for group, chunk, (emissions, intent_probs) in zip(groups, chunks, outputs, strict=True):
            for row, (i, tokens) in enumerate(zip(group, chunk, strict=True)):
                scored[i] = (tokens, emissions[row, : len(tokens)].astype(np.float64), intent_probs[row])
        return scored  # type: ignore[return-value]

    def parse_scores(
        self, scored: Sequence[tuple[list[str], np.ndarray, np.ndarray]], temperature: float | None = None
    ) -> list[Parse]:
        """Decode what ``score`` returned: tags, spans with confidences, intent.

        A token's confidence is the probability of the tag it got: under a CRF, its marginal
        over all allowed tag sequences; under a softmax head, the head's own (tempered)
        probability, which needs no chain computation.
        """
        temperature = self.temperature if temperature is None else temperature
        chained = self.network.crf is not None
        paths = None if chained else self._paths(scored)
        results = []
        for i, (tokens, scores, intent_probs) in enumerate(scored):
            if not tokens:  # empty text: no slots, no intent
                results.append(Parse([], [], [], "", 0.0))
                continue
            if paths is None:
                path, confidence = self.decode(scores, temperature=temperature)
            else:
                path, confidence = paths[i], _head_confidence(scores, paths[i], temperature)
            assert confidence is not None
            tags = [self.tags[j] for j in path]
            spans = [
                Span(slot, " ".join(tokens[a:b]), a, b, float(confidence[a:b].min())) for slot, a, b in bio_spans(tags)
            ]
            best = int(intent_probs.argmax())
            results.append(Parse(tokens, tags, spans, self.intents[best], float(intent_probs[best])))
        return results
