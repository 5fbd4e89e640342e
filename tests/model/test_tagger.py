"""Inference: parses, confidences, batching, checkpoints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from model import CheckpointError, Tagger, is_valid_bio, load_checkpoint, save_checkpoint


def test_parse_reads_slots_and_intent(small_tagger: Tagger) -> None:
    [parse] = small_tagger.parse("show me flights from Boston to Denver")
    assert parse.tokens == ["show", "me", "flights", "from", "boston", "to", "denver"]
    slots = {span.slot: span.text for span in parse.spans}
    assert slots == {"fromloc.city_name": "boston", "toloc.city_name": "denver"}
    assert parse.intent == "atis_flight"
    assert 0.5 < parse.intent_confidence <= 1.0
    assert all(0.0 <= span.confidence <= 1.0 for span in parse.spans)


def test_multi_word_spans(small_tagger: Tagger) -> None:
    [parse] = small_tagger.parse("show me flights from salt lake city to new york")
    assert [(s.slot, s.text, s.start, s.end) for s in parse.spans] == [
        ("fromloc.city_name", "salt lake city", 4, 7),
        ("toloc.city_name", "new york", 8, 10),
    ]


def test_batch_equals_single(small_tagger: Tagger) -> None:
    texts = [
        "show me flights from boston to denver",
        "i want to arrive in chicago on june 2nd",
        "what ground transportation is there in dallas",
        "leave seattle",
        "what is the cheapest fare from oakland to salt lake city",
    ]
    batched = small_tagger.parse(texts)
    for text, parse in zip(texts, batched, strict=True):
        [single] = small_tagger.parse(text)
        assert single.tags == parse.tags and single.intent == parse.intent
        assert single.intent_confidence == pytest.approx(parse.intent_confidence, abs=1e-5)
        for a, b in zip(single.spans, parse.spans, strict=True):
            assert a.confidence == pytest.approx(b.confidence, abs=1e-5)


def test_pretokenized_input_and_empty_text(small_tagger: Tagger) -> None:
    empty, tokens = small_tagger.parse(["   ", ["flights", "to", "boston"]])
    assert empty.tokens == [] and empty.spans == [] and empty.intent == ""
    assert tokens.tags[-1] == "B-toloc.city_name"


def test_marks_the_training_data_never_had_are_not_shown_to_the_network(small_tagger: Tagger) -> None:
    """ATIS has no punctuation: "," and "?" come back ``O``, everything else as without them."""
    assert "," not in small_tagger.featurizer.words
    marked, plain = small_tagger.parse(["from boston , to denver ?", "from boston to denver"])
    assert marked.tokens == ["from", "boston", ",", "to", "denver", "?"]
    assert [t for i, t in enumerate(marked.tags) if i not in (2, 5)] == plain.tags
    assert marked.tags[2] == marked.tags[5] == "O" and marked.intent == plain.intent
    assert [(s.slot, s.text, s.start, s.end) for s in marked.spans] == [
        ("fromloc.city_name", "boston", 1, 2), ("toloc.city_name", "denver", 4, 5)
    ]  # fmt: skip
    for a, b in zip(marked.spans, plain.spans, strict=True):
        assert a.confidence == pytest.approx(b.confidence, abs=1e-6)
    [only] = small_tagger.parse([["?", "->"]])  # nothing but marks: shown as it is, so it has an intent
    assert only.tokens == ["?", "->"] and len(only.tags) == 2 and only.intent in small_tagger.intents.labels()


def test_a_span_across_a_left_out_mark_keeps_the_full_token_indices() -> None:
    from model.tagger import Parse, Span, _restored

    shown = Parse(["to", "new", "york"], ["O", "B-toloc.city_name", "I-toloc.city_name"],
                  [Span("toloc.city_name", "new york", 1, 3, 0.9)], "atis_flight", 0.99)  # fmt: skip
    full = _restored(shown, ["to", "new", "-", "york", "!"], [0, 1, 3])
    assert full.tags == ["O", "B-toloc.city_name", "I-toloc.city_name", "I-toloc.city_name", "O"]
    assert full.spans == [Span("toloc.city_name", "new - york", 1, 4, 0.9)] and is_valid_bio(full.tags)


def test_decoding_is_valid_bio_for_odd_input(small_tagger: Tagger) -> None:
    odd = ["to to to new new york york", "city city lake salt", "ünïcödé 東京 ✈️ <b>", "i" * 300]
    for parse in small_tagger.parse(odd):
        assert is_valid_bio(parse.tags)


def test_checkpoint_round_trip(trained, tmp_path: Path) -> None:
    tagger, path = trained
    payload = torch.load(path, weights_only=True)  # no pickled objects inside
    assert payload["format_version"] == 2 and payload["tags"][0] == "O"
    loaded = Tagger.load(path, device="cpu")
    texts = ["show me flights from boston to denver", "leave kansas city on may fifth"]
    for a, b in zip(tagger.parse(texts), loaded.parse(texts), strict=True):
        assert a.tags == b.tags and a.intent == b.intent
        assert a.intent_confidence == pytest.approx(b.intent_confidence, abs=1e-6)
    checkpoint = load_checkpoint(path)
    assert checkpoint.config == tagger.config
    assert checkpoint.card["dev_sentences"] == 60
    again = tmp_path / "again.pt"
    save_checkpoint(checkpoint, again)
    assert load_checkpoint(again).words == checkpoint.words


def test_bad_checkpoints_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        Tagger.load(tmp_path / "missing.pt")
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        Tagger.load(garbage)
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(2)}, other)
    with pytest.raises(CheckpointError, match="not a ticketbot tagger checkpoint"):
        Tagger.load(other)
    future = tmp_path / "future.pt"
    torch.save({"format": "ticketbot-tagger", "format_version": 99}, future)
    with pytest.raises(CheckpointError, match="format version 99"):
        Tagger.load(future)


def test_device_argument(trained) -> None:
    _, path = trained
    assert Tagger.load(path, device="cpu").device.type == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU"):
            Tagger.load(path, device="cuda")


def test_pruned_lattice_decodes_like_the_exact_one(small_tagger: Tagger, flights_dir: Path) -> None:
    from model import read_split

    sentences = [e.tokens for e in read_split(flights_dir / "dev")]
    pruned = small_tagger.parse(sentences)
    small_tagger.keep = len(small_tagger.tags)
    try:
        exact = small_tagger.parse(sentences)
    finally:
        small_tagger.keep = 10
    for a, b in zip(pruned, exact, strict=True):
        assert a.tags == b.tags
        # the labels left out of the lattice hold a little probability mass on uncertain tokens
        assert [s.confidence for s in a.spans] == pytest.approx([s.confidence for s in b.spans], abs=0.02)


def test_word_vector_cache_computes_what_the_network_computes(small_tagger: Tagger) -> None:
    sentences = [["show", "me", "flights", "from", "boston", "to", "denver"], ["to", "boston", "please"]]
    small_tagger.refresh()
    cold, _ = small_tagger._scores(sentences)
    warm, _ = small_tagger._scores(sentences)  # every word now comes from the cache
    with torch.inference_mode():
        output = small_tagger.network(small_tagger.featurizer(sentences))
        direct = torch.log_softmax(output.emissions, dim=-1).numpy()
    assert np.allclose(cold, direct, atol=1e-5) and np.array_equal(cold, warm)


def test_onnx_runtime_path_answers_like_pytorch(trained) -> None:
    _, path = trained
    plain = Tagger.load(path, device="cpu", accelerate=False)
    fast = Tagger.load(path, device="cpu")
    assert fast.accelerate() and fast._onnx is not None and plain._onnx is None
    texts = ["show me flights from boston to denver", "leave kansas city on may fifth", "fly to salt lake city"]
    for text in texts:  # one sentence at a time: no padding, so ONNX Runtime answers
        [a], [b] = plain.parse(text), fast.parse(text)
        assert a.tags == b.tags and a.intent == b.intent
        assert a.intent_confidence == pytest.approx(b.intent_confidence, abs=1e-4)
        assert [s.confidence for s in a.spans] == pytest.approx([s.confidence for s in b.spans], abs=1e-4)
    assert [p.tags for p in plain.parse(texts)] == [p.tags for p in fast.parse(texts)]  # grouped by length


def test_onnx_runtime_groups_run_side_by_side_with_the_same_answers(trained) -> None:
    _, path = trained
    plain = Tagger.load(path, device="cpu", accelerate=False)
    fast = Tagger.load(path, device="cpu")
    assert fast.accelerate()
    words = ["show", "me", "flights", "from", "boston", "to", "denver", "on", "may", "fifth", "in", "the", "morning"]
    sentences = [words[: 1 + i % len(words)] for i in range(60)]  # thirteen lengths, mixed
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        scored = fast.score(sentences, batch_size=16)
        assert fast._pool is not None  # the groups went to the pool
    finally:
        torch.set_num_threads(threads)
    expected = plain.score(sentences, batch_size=16)
    for (tokens, emissions, intents), (want_tokens, want_emissions, want_intents) in zip(scored, expected, strict=True):
        assert tokens == want_tokens
        assert np.allclose(emissions, want_emissions, atol=1e-4) and np.allclose(intents, want_intents, atol=1e-5)
