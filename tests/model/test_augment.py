"""Rewriting slot values for training: cities from the world list, dates as people type them."""

from __future__ import annotations

import random

import pytest

from model import Example, is_valid_bio
from model.augment import Augmenter, replace_cities, rewrite_spans, slot_values, typed_date, unseen_city_split
from model.cities import augmentation_cities, evaluation_cities, is_held_out, world_cities

SENTENCE = Example(
    tokens=("from", "boston", "to", "new", "york", "and", "back", "to", "boston", "on", "november", "twenty",
            "seventh"),
    tags=("O", "B-fromloc.city_name", "O", "B-toloc.city_name", "I-toloc.city_name", "O", "O", "O",
          "B-toloc.city_name", "O", "B-depart_date.month_name", "B-depart_date.day_number",
          "I-depart_date.day_number"),
    intent="atis_flight",
)  # fmt: skip


def test_replace_cities_keeps_tags_aligned_and_one_city_one_name() -> None:
    names = [("taipei",), ("ho", "chi", "minh", "city"), ("sao", "paulo")]
    out = replace_cities(SENTENCE, names, random.Random(3))
    assert len(out.tokens) == len(out.tags) and is_valid_bio(out.tags)
    spans = {}
    for i, tag in enumerate(out.tags):
        if tag.startswith("B-") and tag.endswith("city_name"):
            end = i + 1
            while end < len(out.tags) and out.tags[end].startswith("I-"):
                end += 1
            spans.setdefault(tag, []).append(out.tokens[i:end])
    assert all(name in names for group in spans.values() for name in group)
    # "boston" is the origin and, later, a destination: both times the same new city
    assert spans["B-fromloc.city_name"][0] == spans["B-toloc.city_name"][1]
    assert out.tokens[-3:] == ("november", "twenty", "seventh") and out.intent == SENTENCE.intent


def test_typed_dates() -> None:
    out = rewrite_spans(SENTENCE, typed_date, random.Random(0))
    assert out.tokens[-2] in ("nov", "nov.")
    assert out.tokens[-1] in ("27th", "27")
    assert out.tags[-2:] == ("B-depart_date.month_name", "B-depart_date.day_number")
    assert typed_date("depart_date.day_number", ("second",), random.Random(1)) in (("2nd",), ("2",))
    assert typed_date("depart_date.day_number", ("eleventh",), random.Random(1)) in (("11th",), ("11",))
    assert typed_date("fromloc.city_name", ("boston",), random.Random(1)) is None


def test_augmenter_probabilities() -> None:
    examples = [SENTENCE] * 200
    untouched = Augmenter([("taipei",)], city_swap=0.0, date_swap=0.0)(examples, random.Random(0))
    assert untouched == examples
    swapped = Augmenter([("taipei",)], city_swap=0.5, date_swap=0.0)(examples, random.Random(0))
    share = sum("taipei" in e.tokens for e in swapped) / len(swapped)
    assert 0.4 < share < 0.6


def test_world_city_list_and_its_held_out_tenth() -> None:
    names = world_cities()
    assert len(names) > 20_000
    for city in [("taipei",), ("ho", "chi", "minh", "city"), ("sao", "paulo")]:
        assert city in names
    held_out = set(evaluation_cities())
    assert 0.07 < len(held_out) / len(names) < 0.13
    assert all(is_held_out(n) for n in held_out)
    assert held_out.isdisjoint(augmentation_cities())


def test_unseen_city_split_uses_cities_absent_from_training() -> None:
    train = [SENTENCE]
    rewritten = unseen_city_split([SENTENCE] * 20, train, seed=1)
    held_out = set(evaluation_cities())
    for example in rewritten:
        assert "boston" not in example.tokens and example.tokens[3:5] != ("new", "york")
        city = example.tokens[1 : example.tags.index("O", 1)]
        assert tuple(city) in held_out


def test_span_swap_trades_values_within_their_slot() -> None:
    tags = ("O", "B-artist", "I-artist", "O", "B-service")
    music = Example(("play", "the", "beatles", "on", "spotify"), tags, "PlayMusic")
    other = Example(("play", "nina", "simone", "on", "deezer"), tags, "PlayMusic")
    film = Example(("show", "me", "jaws"), ("O", "O", "B-movie_name"), "SearchScreeningEvent")
    values = slot_values([music, other, film])
    assert values == {
        "artist": [("the", "beatles"), ("nina", "simone")],
        "service": [("spotify",), ("deezer",)],
        "movie_name": [("jaws",)],
    }
    augmenter = Augmenter([], city_swap=0.0, date_swap=0.0, span_values=values, span_swap=1.0)
    swapped = augmenter([music] * 100 + [film], random.Random(3))
    artists = {e.tokens[1:-2] for e in swapped[:100]}
    assert artists == {("the", "beatles"), ("nina", "simone")}  # each value of the slot, and only those
    assert all(e.tags == tags and e.intent == "PlayMusic" for e in swapped[:100])  # both artists have two words
    assert swapped[100] == film  # a slot with one value has nothing to trade
    with pytest.raises(ValueError, match="slot values"):
        Augmenter([], city_swap=0.0, date_swap=0.0, span_swap=0.5)
