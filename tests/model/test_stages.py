"""``Tagger.stages()``: parse's steps one at a time give parse's answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from model import Tagger, TaggerConfig, TaggerError, TrainConfig, bio_spans, read_corpus, save_checkpoint, train
from model.ensemble import EnsembleNetwork

from .conftest import FAST, SMALL

SENTENCES = [
    ["show", "me", "flights", "from", "boston", "to", "denver"],
    ["i", "want", "to", "arrive", "in", "salt", "lake", "city", "on", "june", "2nd"],
    ["leave", "seattle"],
]


@pytest.fixture(scope="module", params=["softmax", "crf"])
def loaded(request: pytest.FixtureRequest, trained, flights_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """A tiny tagger as ``Tagger.load`` gives it (accelerated: parse runs ONNX Runtime), of either head."""
    if request.param == "softmax":
        return Tagger.load(trained[1], device="cpu")
    config = TaggerConfig(**{**SMALL, "crf": True})
    result = train(read_corpus(flights_dir), config, TrainConfig(epochs=1, seed=3, **FAST), torch.device("cpu"))
    path = tmp_path_factory.mktemp("crf") / "crf.pt"
    save_checkpoint(result.tagger.to_checkpoint(), path)
    return Tagger.load(path, device="cpu")


def test_the_stages_in_order_parse_as_parse_does(loaded: Tagger) -> None:
    tagger = loaded
    stages = tagger.stages()
    assert stages.encoders == tagger.config.encoders
    for sentence in SENTENCES:  # one at a time, as the profile takes them
        [expected] = tagger.parse([sentence])
        with torch.inference_mode():
            batch = stages.featurize([sentence])
            rows = torch.cat([stages.encode(name, batch) for name in stages.encoders], dim=-1)
            embedded = stages.embed(batch)
            assert torch.equal(embedded[0], rows[batch.words[0] - 1])  # the encoders' rows, placed
            scores, intents = stages.heads(stages.recurrent(embedded, batch), batch)
            assert stages.onnx is not None  # what parse ran: the same figures
            fused_scores, fused_intents = stages.onnx(embedded.numpy())
            assert np.allclose(fused_scores, scores, atol=1e-4) and np.allclose(fused_intents, intents, atol=1e-5)
        path_ids, confidences = stages.decode(scores[0].astype(np.float64))
        tags = [tagger.tags[j] for j in path_ids]
        assert tags == expected.tags
        assert tagger.intents[int(intents[0].argmax())] == expected.intent
        assert intents[0].max() == pytest.approx(expected.intent_confidence, abs=1e-4)
        assert confidences is not None and len(confidences) == len(sentence)
        spans = [(slot, a, b) for slot, a, b in bio_spans(tags)]
        assert spans == [(s.slot, s.start, s.end) for s in expected.spans]
        assert [float(confidences[a:b].min()) for _, a, b in spans] == pytest.approx(
            [s.confidence for s in expected.spans], abs=1e-4
        )
        assert stages.decode(scores[0].astype(np.float64), confidences=False) == (path_ids, None)


def test_a_padded_batch_through_the_stages_tags_as_parse_does(small_tagger: Tagger) -> None:
    stages = small_tagger.stages()
    with torch.inference_mode():
        batch = stages.featurize(SENTENCES)  # three lengths: padded, packed
        scores, _ = stages.heads(stages.recurrent(stages.embed(batch), batch), batch)
    tags = [
        [small_tagger.tags[j] for j in stages.decode(scores[i, : len(s)].astype(np.float64))[0]]
        for i, s in enumerate(SENTENCES)
    ]
    assert tags == [p.tags for p in small_tagger.parse(SENTENCES)]


def test_an_ensemble_has_no_stages_of_its_own(trained) -> None:
    tagger, _ = trained
    ensemble = Tagger(EnsembleNetwork([tagger.network]), tagger.featurizer, tagger.tags, tagger.intents, tagger.device)
    with pytest.raises(TaggerError, match="members"):
        ensemble.stages()
