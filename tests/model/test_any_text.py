"""The tokenizer and the bundled tagger take any Unicode text a customer can send.

Property tests (hypothesis): control and format characters, bidi overrides, combining
marks, astral characters, noncharacters, and strings up to and past the API's 1000
characters. Surrogates are left out: they are not characters (the API refuses them).
Whatever comes in, the tokenizer returns clean tokens with their offsets, and the tagger
returns one tag per token, valid BIO, spans that match the tags, and probabilities.
"""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import Tagger, bio_spans, is_valid_bio, tokenize
from model.tokenize import tokenize_with_offsets

API_LIMIT = 1000

# every code point but surrogates, with the awkward ones drawn often
awkward = st.sampled_from(
    ["\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u200b", "\u200d", "\ufeff", "\u00ad", "\u0000", "\u001b",
     "\u0085", "\u2028", "\u3000", "\u00a0", "\u0301", "\u0130", "\u00df", "\ufb01", "\u2019", "\ufffd", "\uffff",
     "\U0001f600", "\U0001f1fa\U0001f1f8", "\U0001d54f", "\U000e0041", "\U0010ffff", "5pm", "p.m.", "st.", "1,000",
     "o'hare", "12:30", "a.m", "--", "...", "'", "<b>", "&amp;", "\t", "\n", " "]
)  # fmt: skip
characters = st.characters(exclude_categories=["Cs"])
texts = st.one_of(
    st.text(characters, max_size=60),
    st.lists(st.one_of(awkward, st.text(characters, max_size=4), st.sampled_from(["to", "denver", "on", "june"])),
             max_size=30).map("".join),
    st.tuples(st.one_of(awkward, st.text(characters, min_size=1, max_size=3)), st.integers(1, API_LIMIT + 50)).map(
        lambda p: (p[0] * p[1])[: API_LIMIT + 50]
    ),
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_the_tokenizer_takes_any_text(text: str) -> None:
    located = tokenize_with_offsets(text)
    tokens = tokenize(text)
    assert tokens == [token for token, _, _ in located]
    normalised = unicodedata.normalize("NFC", text).lower()
    previous_end = 0
    for token, start, end in located:
        assert token and not any(c.isspace() for c in token), repr(token)
        assert previous_end <= start < end <= len(normalised)
        previous_end = end
    assert tokenize(text) == tokens  # no hidden state


@pytest.fixture(scope="module")
def bundled() -> Tagger:
    return Tagger.load(device="cpu")


def _check(tagger: Tagger, text: str, parse) -> None:
    labels, intents = set(tagger.tags.labels()), set(tagger.intents.labels())
    assert parse.tokens == tokenize(text)
    assert len(parse.tags) == len(parse.tokens)
    assert set(parse.tags) <= labels and is_valid_bio(parse.tags), parse.tags
    assert [(s.slot, s.start, s.end) for s in parse.spans] == bio_spans(parse.tags)
    for span in parse.spans:
        assert span.text == " ".join(parse.tokens[span.start : span.end])
        assert math.isfinite(span.confidence) and 0.0 <= span.confidence <= 1.0 + 1e-9
    if parse.tokens:
        assert parse.intent in intents and 0.0 <= parse.intent_confidence <= 1.0 + 1e-9
    else:
        assert parse.spans == [] and parse.tags == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_the_tagger_takes_any_text(bundled: Tagger, text: str) -> None:
    [parse] = bundled.parse([text])
    _check(bundled, text, parse)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=2, max_size=6))
def test_a_batch_of_any_texts_tags_each_as_alone(bundled: Tagger, batch: list[str]) -> None:
    together = bundled.parse(batch)
    for text, parse in zip(batch, together, strict=True):
        _check(bundled, text, parse)
        [alone] = bundled.parse([text])
        assert (alone.tokens, alone.tags, alone.intent) == (parse.tokens, parse.tags, parse.intent)


@pytest.mark.parametrize(
    "text",
    [
        "a" * API_LIMIT,  # one very long word: the character encoder's input is capped
        "." * API_LIMIT,  # a thousand one-character tokens
        "to denver " * (API_LIMIT // 10),
        "\U0001f600" * API_LIMIT,
        "\u202e" * API_LIMIT,
        ("e" + "\u0301" * 50 + " ") * (API_LIMIT // 52),  # zalgo: combining marks pile up on one letter
        "\ufeff\u200b\u2060",  # only invisible characters
    ],
    ids=["long-word", "dots", "repeated-phrase", "emoji", "bidi-override", "zalgo", "invisible"],
)
def test_the_tagger_takes_the_longest_messages(bundled: Tagger, text: str) -> None:
    [parse] = bundled.parse([text])
    _check(bundled, text, parse)
