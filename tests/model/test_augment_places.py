"""The newer rewrites: airports and states swapped like cities, unknown words in slot-less places,
airport codes in cities' places."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch

from model import Example, TaggerConfig, TrainConfig, is_valid_bio, read_corpus, train
from model.augment import (
    Augmenter,
    cities_to_codes,
    intent_cues,
    made_up_word,
    place_pools,
    rare_outside_words,
    replace_unknown_word,
)
from model.bio import bio_spans
from model.card import render_card
from model.cities import is_held_out
from model.gazetteers import airport_codes, airport_names, state_codes, state_names

from .conftest import FAST, SMALL

AIRPORTS = Example(
    tokens=("from", "bwi", "to", "general", "mitchell", "international", "in", "ohio", "please"),
    tags=("O", "B-fromloc.airport_code", "O", "B-toloc.airport_name", "I-toloc.airport_name",
          "I-toloc.airport_name", "O", "B-toloc.state_name", "O"),
    intent="atis_flight",
)  # fmt: skip


def _spans(example: Example) -> dict[str, tuple[str, ...]]:
    return {slot: example.tokens[a:b] for slot, a, b in bio_spans(example.tags)}


def test_the_lists_are_lower_cased_tokens_from_the_maintained_packages() -> None:
    assert ("dca",) in airport_codes() and ("lga",) in airport_codes()
    assert all(len(code) == 1 and len(code[0]) == 3 for code in airport_codes())
    assert ("montana",) in state_names() and ("new", "mexico") in state_names() and ("ontario",) in state_names()
    assert ("ma",) in state_codes() and ("dc",) in state_codes()
    assert any(name[-1] == "airport" for name in airport_names())


def test_airport_swap_replaces_codes_and_names_and_keeps_the_roles() -> None:
    pools = {"airport_code": [("pvd",)], "airport_name": [("logan", "international", "airport")]}
    augmenter = Augmenter([], 0.0, 0.0, place_names=pools, airport_swap=1.0)
    out = augmenter([AIRPORTS] * 40, random.Random(1))
    assert all(is_valid_bio(e.tags) and len(e.tags) == len(e.tokens) for e in out)
    assert all(_spans(e)["fromloc.airport_code"] == ("pvd",) for e in out)
    names = {_spans(e)["toloc.airport_name"] for e in out}
    # half of the time the final "airport" is left out, as people do
    assert names == {("logan", "international", "airport"), ("logan", "international")}
    assert all(_spans(e)["toloc.state_name"] == ("ohio",) for e in out)  # states are not airports


def test_state_swap_replaces_state_names_only() -> None:
    augmenter = Augmenter([], 0.0, 0.0, place_names={"state_name": [("new", "mexico")]}, state_swap=1.0)
    [out] = augmenter([AIRPORTS], random.Random(0))
    assert _spans(out)["toloc.state_name"] == ("new", "mexico")
    assert out.tags[7:9] == ("B-toloc.state_name", "I-toloc.state_name")
    assert _spans(out)["fromloc.airport_code"] == ("bwi",)


def test_pools_leave_out_the_held_out_tenth_and_words_the_corpus_uses_otherwise() -> None:
    corpus_word = Example(("is", "lax", "open"), ("O", "O", "O"), "atis_airport")  # "lax" as a plain word
    pools = place_pools([AIRPORTS, corpus_word], airports=True, states=True)
    assert ("lax",) not in pools["airport_code"] and ("bwi",) in pools["airport_code"]
    assert ("in",) not in pools["state_code"]  # Indiana's code is the corpus's "in"
    for kind, names in pools.items():
        assert names and not any(is_held_out(name) for name in names), kind


def test_an_unknown_word_takes_the_place_of_a_slotless_word_but_not_of_a_cue() -> None:
    rng = random.Random(0)
    seen = set()
    for _ in range(200):
        out = replace_unknown_word(AIRPORTS, rng)
        assert out.tags == AIRPORTS.tags and out.intent == AIRPORTS.intent
        [changed] = [i for i, (a, b) in enumerate(zip(out.tokens, AIRPORTS.tokens, strict=True)) if a != b]
        seen.add(changed)
    # "from", "to" and "in" come just before a span: they say its role and stay
    assert seen == {8}
    plain = Example(("show", "me", "flights", "to", "boston"), ("O", "O", "O", "O", "B-toloc.city_name"), "x")
    positions = {next(i for i, t in enumerate(replace_unknown_word(plain, rng).tokens) if t != plain.tokens[i])
                 for _ in range(100)}  # fmt: skip
    assert positions == {0, 1, 2}
    assert replace_unknown_word(Example(("boston",), ("B-city_name",), "x"), rng).tokens == ("boston",)


def test_unknown_words_are_made_up_or_rare() -> None:
    rng = random.Random(2)
    words = {made_up_word(rng) for _ in range(50)}
    assert all(w.isalpha() and 4 <= len(w) <= 8 for w in words) and len(words) > 40
    rare = rare_outside_words([AIRPORTS, AIRPORTS, AIRPORTS, Example(("please", "hurry"), ("O", "O"), "x")])
    assert rare == ["hurry"]  # "please" is seen four times, "bwi" is inside a slot


def test_rewrites_that_are_off_draw_nothing_so_older_recipes_train_as_before() -> None:
    examples = [AIRPORTS] * 50
    old = Augmenter.for_corpus(examples, 0.0, 0.3)
    new = Augmenter.for_train_config(examples, TrainConfig(date_swap=0.3))
    assert new is not None and Augmenter.for_train_config(examples, TrainConfig()) is None
    a, b = random.Random(5), random.Random(5)
    assert old(examples, a) == new(examples, b) and a.getstate() == b.getstate()


def test_training_with_every_new_rewrite(flights_dir: Path) -> None:
    options = TrainConfig(epochs=1, seed=1, airport_swap=0.5, state_swap=0.5, unknown_word=0.5, **FAST)
    result = train(read_corpus(flights_dir), TaggerConfig(**SMALL), options, torch.device("cpu"))
    assert result.history and result.tagger.card["dev_sentences"] == 60
    card = render_card(result.tagger.to_checkpoint(train_config=options))
    assert "airport swap 0.5, state swap 0.5, unknown words 0.5" in card


def test_a_slot_without_inside_tags_gets_one_word_names() -> None:
    """ATIS's bare ``state_name`` is always one word: "new mexico" would need a tag it lacks."""
    bare = Example(("flights", "to", "ohio"), ("O", "O", "B-state_name"), "atis_flight")
    pools = {"state_name": [("new", "mexico"), ("utah",)]}
    augmenter = Augmenter([], 0.0, 0.0, place_names=pools, state_swap=1.0, inside_slots=frozenset())
    assert {e.tokens[2:] for e in augmenter([bare] * 30, random.Random(0))} == {("utah",)}
    free = Augmenter([], 0.0, 0.0, place_names=pools, state_swap=1.0)  # no label set given: any length
    assert ("new", "mexico") in {e.tokens[2:] for e in free([bare] * 30, random.Random(0))}
    known = Augmenter.for_train_config([bare, AIRPORTS], TrainConfig(state_swap=1.0))
    assert known is not None and all(
        tag in {*bare.tags, *AIRPORTS.tags} or tag.startswith("I-toloc.state_name")
        for e in known([bare] * 30, random.Random(1))
        for tag in e.tags
    )


CITIES = Example(
    tokens=("from", "new", "york", "to", "denver", "colorado", "and", "back", "to", "new", "york"),
    tags=("O", "B-fromloc.city_name", "I-fromloc.city_name", "O", "B-toloc.city_name", "B-toloc.state_name",
          "O", "O", "O", "B-toloc.city_name", "I-toloc.city_name"),
    intent="atis_flight",
)  # fmt: skip
CODE_SLOTS = frozenset({"fromloc.airport_code", "toloc.airport_code", "fromloc.city_name", "toloc.city_name"})


def test_cities_become_codes_tagged_as_codes_and_a_repeated_city_one_code() -> None:
    out = cities_to_codes(CITIES, [("jfk",), ("dca",), ("bos",)], CODE_SLOTS, random.Random(3))
    assert is_valid_bio(out.tags) and len(out.tokens) == len(out.tags) == 9
    spans = [(slot, out.tokens[a:b]) for slot, a, b in bio_spans(out.tags)]
    code = spans[0][1]
    assert len(code) == 1 and code != ("new",)
    assert spans[0] == ("fromloc.airport_code", code) and spans[3] == ("toloc.airport_code", code)  # one city
    # a city named with its state stays a city: nobody writes "den colorado"
    assert spans[1:3] == [("toloc.city_name", ("denver",)), ("toloc.state_name", ("colorado",))]
    assert out.tokens[2:3] + out.tokens[5:8] == ("to", "and", "back", "to")


def test_a_city_keeps_its_name_where_training_has_no_code_slot_for_its_role() -> None:
    stop = Example(("via", "dallas", "to", "boston"), ("O", "B-stoploc.city_name", "O", "B-toloc.city_name"), "x")
    bare = Example(("ground", "in", "boston"), ("O", "O", "B-city_name"), "atis_ground_service")
    assert cities_to_codes(bare, [("jfk",)], CODE_SLOTS, random.Random(0)) == bare
    out = cities_to_codes(stop, [("jfk",)], CODE_SLOTS, random.Random(0))
    assert out.tokens == ("via", "dallas", "to", "jfk")
    assert out.tags == ("O", "B-stoploc.city_name", "O", "B-toloc.airport_code")


def test_city_code_training_takes_codes_from_the_list_less_its_held_out_tenth(flights_dir: Path) -> None:
    coded = Example(("from", "bwi", "to", "lga"), ("O", "B-fromloc.airport_code", "O", "B-toloc.airport_code"), "x")
    augmenter = Augmenter.for_train_config([CITIES, coded], TrainConfig(city_code=1.0))
    assert augmenter is not None
    out = augmenter([CITIES] * 30, random.Random(0))
    codes = {e.tokens[1] for e in out}
    assert len(codes) > 20 and all(e.tags[1] == "B-fromloc.airport_code" for e in out)
    assert not any(is_held_out((code,)) for code in codes)  # those are the probes' codes
    assert codes <= {c for (c,) in airport_codes()}
    with pytest.raises(ValueError, match="no airport codes"):
        Augmenter([], 0.0, 0.0, city_code=0.5)
    options = TrainConfig(epochs=1, seed=1, city_code=0.5, **FAST)
    result = train(read_corpus(flights_dir), TaggerConfig(**SMALL), options, torch.device("cpu"))
    assert "cities as airport codes 0.5" in render_card(result.tagger.to_checkpoint(train_config=options))


def _asking(words: str, intent: str) -> Example:
    tokens = (*words.split(), "from", "boston")
    return Example(tokens, ("O",) * (len(tokens) - 1) + ("B-fromloc.city_name",), intent)


def test_words_that_say_a_less_common_intent_are_its_cues() -> None:
    corpus = [_asking("show me flights", "atis_flight")] * 10 + [_asking("show me the fare", "atis_airfare")] * 3
    corpus += [_asking("show me the fares", "atis_airfare")] * 2 + [_asking("the flights", "atis_flight")] * 6
    # "fare" is an airfare word (3 of 3); "the" is mostly in flights; "fares" too rare; the
    # commonest intent's words are not cues: without them a sentence is still most likely a flight
    assert intent_cues(corpus) == {"fare"}
    assert intent_cues(corpus, min_count=2) == {"fare", "fares"}


def test_an_unknown_word_never_takes_a_kept_words_place() -> None:
    asking = _asking("what is the fare", "atis_airfare")
    replaced = {
        next(i for i, (a, b) in enumerate(zip(asking.tokens, out.tokens, strict=True)) if a != b)
        for out in (replace_unknown_word(asking, random.Random(seed), keep=frozenset({"fare"})) for seed in range(60))
    }
    assert replaced == {0, 1, 2}  # "what", "is", "the"; never "fare", nor the cue "from"
    options = TrainConfig(unknown_word=1.0, keep_intent_cues=True)
    augmenter = Augmenter.for_train_config([asking] * 3 + [_asking("what is the flight", "atis_flight")] * 5, options)
    assert augmenter is not None and augmenter.kept_words == {"fare"}
    assert Augmenter.for_train_config([asking], TrainConfig(unknown_word=1.0)).kept_words == frozenset()


def test_a_city_slot_without_inside_tags_gets_one_word_cities() -> None:
    """A corpus whose bare ``city_name`` is always one word has no ``I-city_name`` to tag
    "new york" with: the city swap gives that slot one-word names (it once raised KeyError)."""
    bare = Example(("ground", "in", "boston"), ("O", "O", "B-city_name"), "atis_ground_service")
    augmenter = Augmenter([("new", "york"), ("lima",)], 1.0, 0.0, inside_slots=frozenset({"toloc.city_name"}))
    assert {e.tokens[2:] for e in augmenter([bare] * 30, random.Random(0))} == {("lima",)}
    roomy = Augmenter([("new", "york"), ("lima",)], 1.0, 0.0)  # no label set given: any length, as before
    assert ("new", "york") in {e.tokens[2:] for e in roomy([bare] * 30, random.Random(0))}
