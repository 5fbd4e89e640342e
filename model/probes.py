"""A probe set of the four error classes the test error analysis found, and of unseen cities,
made from sentences we may look at (training data, or a cross-validation fold's held-out
part), never from test.

- ``unknown_word``: one slot-less word (not the cue just before a span) becomes a word
  the corpus never has: a language's name from ``pycountry`` ("ghotuo", "abkhazian"),
  a real word rather than one of the made-up ones ``--unknown-word`` trains with. Right
  when that word is tagged ``O``.
- ``airport_code``: an origin or destination city (or an airport code) becomes an IATA
  code from the tenth of ``airportsdata`` held out of augmentation ("from *pvd* to
  boston", ``fromloc.airport_code``). Right when the code is found with its role.
- ``state_name``: a state named bare after a city ("to st. paul *montana*"), the city's
  role carried over (``toloc.state_name``); states are from ``pycountry``, those the
  corpus never names first. Right when the state is found with its role.
- ``depart_arrive``: a departure or arrival time, day or date takes the value of another
  sentence's, of either role ("arriving before *8 am*" from a "leaving at 8 am"; cues
  such as "before" or "tomorrow" are kept), so only the words around it say which it is.
  Right when the span keeps its role.
- ``unseen_city``: every city of a sentence becomes a name from the tenth of the world
  list held out of the city swap, minus the cities of the training data ("from *zaxo*
  to *long thành*"), as ``ticketbot unseen-cities`` does to a whole split: the issue's
  unseen-places target, judged per fold. Right when every city is found with its role.

Each item names its target spans; a class's ``accuracy`` is the share of items whose
targets all come out exactly right, and its ``slot_f1`` is over whole sentences.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .augment import is_airport_slot, is_city_slot, replace_cities, rewrite_spans
from .bio import bio_spans
from .data import Example
from .errors import DataFormatError

__all__ = ["CLASSES", "Probe", "make_probes", "read_probes", "score_probes", "write_probes"]

# a class added later goes last: the classes draw from one generator in this order, so the
# earlier classes' probes stay the same
CLASSES = ("unknown_word", "airport_code", "state_name", "depart_arrive", "unseen_city")
_ROLES = ("fromloc", "toloc")
_TIMING = ("depart_time", "arrive_time", "depart_date", "arrive_date")
# the values that say nothing of the role themselves ("before", "tomorrow" are left alone: they are cues)
_VALUES = ("time", "period_of_day", "day_name", "month_name", "day_number")


def _is_timing(slot: str) -> bool:
    role, _, value = slot.partition(".")
    return role in _TIMING and value in _VALUES


@dataclass(frozen=True, slots=True)
class Probe:
    """One probe sentence: its class, the gold example, and the spans it is about (``O`` for a
    word that must stay outside every slot)."""

    kind: str
    example: Example
    targets: tuple[tuple[str, int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        e = self.example
        return {
            "class": self.kind,
            "tokens": list(e.tokens),
            "tags": list(e.tags),
            "intent": e.intent,
            "targets": [list(t) for t in self.targets],
        }


def _spans(example: Example) -> list[tuple[str, int, int]]:
    return list(bio_spans(example.tags))


def _replace(example: Example, a: int, b: int, new: tuple[str, ...], slot: str | None) -> Example:
    tags = ("O",) * len(new) if slot is None else ("B-" + slot, *("I-" + slot,) * (len(new) - 1))
    return Example(
        (*example.tokens[:a], *new, *example.tokens[b:]), (*example.tags[:a], *tags, *example.tags[b:]), example.intent
    )


def _unknown_words(vocabulary: set[str]) -> list[str]:
    import pycountry

    from .cities import world_cities

    taken = vocabulary | {t for name in world_cities() for t in name}  # no word of the corpus, no place's
    names = {lang.name.lower() for lang in pycountry.languages}
    return sorted(n for n in names if n.isascii() and n.isalpha() and len(n) >= 4 and n not in taken)


def _unknown_word(example: Example, rng: random.Random, words: list[str]) -> Probe | None:
    tags = example.tags
    spots = [i for i, t in enumerate(tags) if t == "O" and (i + 1 == len(tags) or tags[i + 1] == "O")]
    if not spots or not _spans(example):
        return None
    i = rng.choice(spots)
    return Probe("unknown_word", _replace(example, i, i + 1, (rng.choice(words),), None), (("O", i, i + 1),))


def _airport_code(example: Example, rng: random.Random, codes: list[tuple[str, ...]]) -> Probe | None:
    choices = [
        (slot, a, b)
        for slot, a, b in _spans(example)
        if slot.split(".")[0] in _ROLES and (is_city_slot(slot) or is_airport_slot(slot))
    ]
    if not choices:
        return None
    slot, a, b = rng.choice(choices)
    # a city span may run on into a state ("denver colorado"): the code replaces the place only
    target = f"{slot.split('.')[0]}.airport_code"
    probe = _replace(example, a, b, rng.choice(codes), target)
    return Probe("airport_code", probe, ((target, a, a + 1),))


def _state_name(example: Example, rng: random.Random, states: list[tuple[str, ...]]) -> Probe | None:
    choices = [
        (slot, a, b)
        for slot, a, b in _spans(example)
        if slot.split(".")[0] in _ROLES and is_city_slot(slot) and (b == len(example.tags) or example.tags[b] == "O")
    ]
    if not choices:
        return None
    slot, _, b = rng.choice(choices)
    state = rng.choice(states)
    target = f"{slot.split('.')[0]}.state_name"
    return Probe("state_name", _replace(example, b, b, state, target), ((target, b, b + len(state)),))


def _timing_values(examples: Sequence[Example]) -> dict[str, list[tuple[str, ...]]]:
    """Values of each timing sub-slot (``time``, ``day_name``, ...), both roles pooled."""
    values: dict[str, dict[tuple[str, ...], None]] = defaultdict(dict)
    for e in examples:
        for slot, a, b in _spans(e):
            if _is_timing(slot):
                values[slot.split(".", 1)[-1]][e.tokens[a:b]] = None
    return {k: list(v) for k, v in values.items()}


def _depart_arrive(example: Example, rng: random.Random, values: dict[str, list[tuple[str, ...]]]) -> Probe | None:
    if not any(_is_timing(slot) for slot, _, _ in _spans(example)):
        return None

    def rewrite(slot: str, tokens: tuple[str, ...], r: random.Random) -> tuple[str, ...] | None:
        if not _is_timing(slot):
            return None
        pool = values.get(slot.split(".", 1)[-1])
        return r.choice(pool) if pool else None

    probe = rewrite_spans(example, rewrite, rng)
    targets = tuple((slot, a, b) for slot, a, b in _spans(probe) if _is_timing(slot))
    return Probe("depart_arrive", probe, targets)


def _unseen_city(example: Example, rng: random.Random, names: list[tuple[str, ...]]) -> Probe | None:
    if not any(is_city_slot(slot) for slot, _, _ in _spans(example)):
        return None
    probe = replace_cities(example, names, rng)
    return Probe("unseen_city", probe, tuple(span for span in _spans(probe) if is_city_slot(span[0])))


def make_probes(
    examples: Sequence[Example], *, per_class: int = 300, seed: int = 0, vocabulary: Sequence[Example] = ()
) -> list[Probe]:
    """Up to ``per_class`` probes of each class from ``examples`` (one per sentence at most in a
    class). ``vocabulary``: sentences whose words must not serve as unknown words or new
    states (the training data of the model to be probed); ``examples`` themselves always count."""
    from .cities import evaluation_cities
    from .gazetteers import airport_codes, split_held_out, state_names

    seen = [*examples, *vocabulary]
    words = {t for e in seen for t in e.tokens}
    known_states = {e.tokens[a:b] for e in seen for slot, a, b in _spans(e) if slot.endswith("state_name")}
    known_cities = frozenset(e.tokens[a:b] for e in seen for slot, a, b in _spans(e) if is_city_slot(slot))
    makers = {
        "unknown_word": (_unknown_word, _unknown_words(words)),
        "airport_code": (_airport_code, split_held_out(airport_codes(), held_out=True, exclude=frozenset(words))),
        "state_name": (_state_name, [s for s in state_names() if s not in known_states]),
        "depart_arrive": (_depart_arrive, _timing_values(seen)),
        "unseen_city": (_unseen_city, evaluation_cities(known_cities)),
    }
    rng = random.Random(seed)
    probes: list[Probe] = []
    for kind in CLASSES:
        make, pool = makers[kind]
        order = list(range(len(examples)))
        rng.shuffle(order)
        made = 0
        for index in order:
            if made >= per_class:
                break
            probe = make(examples[index], rng, pool) if pool else None  # type: ignore[operator]
            if probe is not None and probe.targets:
                probes.append(probe)
                made += 1
    return probes


def write_probes(path: str | Path, probes: Sequence[Probe]) -> None:
    """JSON Lines, one probe a line."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("".join(json.dumps(p.to_dict()) + "\n" for p in probes), encoding="utf-8")


def read_probes(path: str | Path) -> list[Probe]:
    path = Path(path)
    if not path.is_file():
        raise DataFormatError("no probe file here (make one with `ticketbot probe make`)", path=str(path))
    probes = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            data = json.loads(line)
            example = Example(tuple(data["tokens"]), tuple(data["tags"]), str(data["intent"]))
            targets = tuple((str(s), int(a), int(b)) for s, a, b in data["targets"])
            if data["class"] not in CLASSES or len(example.tokens) != len(example.tags):
                raise ValueError("an unknown class, or tags and tokens of different lengths")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise DataFormatError(f"not a probe ({error})", path=str(path), line=number) from error
        probes.append(Probe(data["class"], example, targets))
    return probes


def _right(tags: Sequence[str], target: tuple[str, int, int]) -> bool:
    slot, a, b = target
    if slot == "O":
        return all(t == "O" for t in tags[a:b])
    return (slot, a, b) in set(bio_spans(list(tags)))


def score_probes(tagger: Any, probes: Sequence[Probe]) -> dict[str, dict[str, Any]]:
    """Per class: items, accuracy (every target exactly right) and slot F1 over its sentences."""
    from .metrics import score

    by_class: dict[str, list[Probe]] = defaultdict(list)
    for probe in probes:
        by_class[probe.kind].append(probe)
    results = {}
    for kind in [c for c in CLASSES if c in by_class]:
        items = by_class[kind]
        gold = [p.example for p in items]
        tags, intents = tagger.predict([e.tokens for e in gold])
        right = [all(_right(t, target) for target in p.targets) for p, t in zip(items, tags, strict=True)]
        results[kind] = {
            "items": len(items),
            "accuracy": sum(right) / len(items),
            "slot_f1": score(gold, tags, intents)["slot_f1"],
        }
    return results
