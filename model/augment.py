"""Training-time rewrites of slot values, so the tagger meets what customers really type.

ATIS has ~80 US cities and writes dates as words ("november twenty seventh"). A tagger
trained on it alone learns *which words* are cities, not *where* a city goes, and fails
on "taipei" or "nov. 27th". Each epoch, a sentence may have its city spans swapped for
random names from a world list, and its dates rewritten the way people type them
("nov.", "27th", "27"); the tagger must then read the context and the letters. The same
rewriting builds the unseen-city evaluation set from held-out names.

For corpora of open-ended names (SNIPS: artists, playlists, films), ``span_swap`` trades
a sentence's slot values for other values of the same slot seen in training
("play *the beatles* on *spotify*" -> "play *nina simone* on *deezer*"), so the tagger
learns the slot from its context rather than remembering which words filled it.

Airport codes, airport names and state names are swapped the way cities are
(``airport_swap``, ``state_swap``: from ``model.gazetteers``); and ``unknown_word`` puts a
made-up or rare word in place of one slot-less word, so the tagger learns that a word it
has never met is not a city for being unknown ("2 pm *or* later", "*ua* flights"). And
``city_code`` puts an airport code where an origin or destination city was, tagged as the
code it is ("from *dca*"): ATIS has few codes, all in few places, so without it a code in
a city's place is read as a city. With ``keep_intent_cues`` the unknown word is never one
that says the intent ("fare", "airlines"). Every
new rewrite draws from the random source only when its chance is above zero, so a recipe
without them trains exactly as before they existed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence

from .bio import bio_spans
from .config import TrainConfig
from .data import Example

__all__ = [
    "Augmenter",
    "cities_to_codes",
    "intent_cues",
    "is_airport_slot",
    "is_city_slot",
    "is_state_slot",
    "made_up_word",
    "place_pools",
    "rare_outside_words",
    "replace_cities",
    "rewrite_spans",
    "slot_values",
    "replace_unknown_word",
    "typed_date",
    "unseen_city_split",
    "words_mostly_outside_slots",
]

# slot, its tokens, the random source -> new tokens, or None to keep the span as it is
Rewrite = Callable[[str, tuple[str, ...], random.Random], tuple[str, ...] | None]

_MONTH_ABBREVIATIONS = {
    "january": "jan", "february": "feb", "march": "mar", "april": "apr", "may": "may", "june": "jun",
    "july": "jul", "august": "aug", "september": "sep", "october": "oct", "november": "nov", "december": "dec",
}  # fmt: skip


def is_city_slot(slot: str) -> bool:
    """``fromloc.city_name``, ``toloc.city_name``, ``stoploc.city_name``, ``city_name`` ..."""
    return slot == "city_name" or slot.endswith(".city_name")


def is_airport_slot(slot: str) -> bool:
    """``fromloc.airport_code``, ``toloc.airport_name``, ``airport_code`` ..."""
    return slot.rsplit(".", 1)[-1] in ("airport_code", "airport_name")


def is_state_slot(slot: str) -> bool:
    """``toloc.state_name``, ``fromloc.state_code``, ``state_name`` ..."""
    return slot.rsplit(".", 1)[-1] in ("state_code", "state_name")


def rewrite_spans(example: Example, rewrite: Rewrite, rng: random.Random) -> Example:
    """Apply ``rewrite`` to every span; tags follow the new token count (B- then I-)."""
    tokens: list[str] = []
    tags: list[str] = []
    position = 0
    changed = False
    for slot, a, b in bio_spans(example.tags):
        new = rewrite(slot, example.tokens[a:b], rng)
        if new is None or not new:
            continue
        tokens.extend(example.tokens[position:a])
        tags.extend(example.tags[position:a])
        tokens.extend(new)
        tags.extend(["B-" + slot] + ["I-" + slot] * (len(new) - 1))
        position, changed = b, True
    if not changed:
        return example
    tokens.extend(example.tokens[position:])
    tags.extend(example.tags[position:])
    return Example(tuple(tokens), tuple(tags), example.intent)


def _city_rewrite(
    names: Sequence[tuple[str, ...]],
    inside: frozenset[str] | None = None,
    one_word: Sequence[tuple[str, ...]] = (),
) -> Rewrite:
    """Swap cities for random names; within one sentence a repeated city stays one city.
    A slot without an ``I-`` tag in training (not in ``inside``) gets a name of ``one_word``."""
    chosen: dict[tuple[str, ...], tuple[str, ...]] = {}

    def rewrite(slot: str, tokens: tuple[str, ...], rng: random.Random) -> tuple[str, ...] | None:
        if not is_city_slot(slot):
            return None
        pool = names if inside is None or slot in inside else one_word
        if tokens not in chosen and not pool:
            return None
        return chosen.setdefault(tokens, rng.choice(pool))

    return rewrite


def replace_cities(
    example: Example,
    names: Sequence[tuple[str, ...]],
    rng: random.Random,
    inside: frozenset[str] | None = None,
    one_word: Sequence[tuple[str, ...]] = (),
) -> Example:
    """Replace each city span by a random name from ``names`` (from ``one_word`` where the
    slot has no ``I-`` tag in ``inside``, the slots that do; None: every slot does)."""
    return rewrite_spans(example, _city_rewrite(names, inside, one_word), rng)


def typed_date(slot: str, tokens: tuple[str, ...], rng: random.Random) -> tuple[str, ...] | None:
    """ "november" -> "nov" / "nov."; "twenty seventh" -> "27th" / "27" (number-parser reads it)."""
    if slot.endswith("month_name") and len(tokens) == 1 and tokens[0] in _MONTH_ABBREVIATIONS:
        short = _MONTH_ABBREVIATIONS[tokens[0]]
        return (rng.choice([short, short + "."]) if short != "may" else short,)
    if slot.endswith("day_number"):
        from number_parser import parse_number, parse_ordinal

        text = " ".join(tokens)
        number = parse_ordinal(text) or parse_number(text)
        if isinstance(number, int) and 1 <= number <= 31:
            suffix = "th" if 11 <= number <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
            return (rng.choice([f"{number}{suffix}", str(number)]),)
    return None


def slot_values(examples: Sequence[Example]) -> dict[str, list[tuple[str, ...]]]:
    """Every distinct value each slot takes in ``examples``, in order of first appearance."""
    values: dict[str, dict[tuple[str, ...], None]] = {}
    for example in examples:
        for slot, a, b in bio_spans(example.tags):
            values.setdefault(slot, {})[example.tokens[a:b]] = None
    return {slot: list(found) for slot, found in values.items()}


def _span_rewrite(values: dict[str, list[tuple[str, ...]]]) -> Rewrite:
    def rewrite(slot: str, tokens: tuple[str, ...], rng: random.Random) -> tuple[str, ...] | None:
        choices = values.get(slot)
        return rng.choice(choices) if choices and len(choices) > 1 else None

    return rewrite


def words_mostly_outside_slots(examples: Sequence[Example], min_count: int = 3) -> frozenset[str]:
    """Words tagged ``O`` in most of their (at least ``min_count``) occurrences: "nice", "mobile".

    City names made of such words would teach the tagger that ordinary words are cities.
    """
    total: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for example in examples:
        for token, tag in zip(example.tokens, example.tags, strict=True):
            total[token] += 1
            outside[token] += tag == "O"
    return frozenset(w for w, n in total.items() if n >= min_count and outside[w] / n > 0.5)


def place_pools(train: Sequence[Example], *, airports: bool, states: bool) -> dict[str, list[tuple[str, ...]]]:
    """Names to swap in, by slot kind (``airport_code``, ``airport_name``, ``state_name``,
    ``state_code``): the lists' names not held out for the probes, without a word the corpus
    uses for something else (a code "in" or "me", an airport named after "nice")."""
    from .gazetteers import airport_codes, airport_names, split_held_out, state_codes, state_names

    ordinary = words_mostly_outside_slots(train)
    # a code is one word: refuse every code that is a word of the corpus outside such a slot
    taken = frozenset(
        t
        for e in train
        for t, tag in zip(e.tokens, e.tags, strict=True)
        if tag == "O" or not (is_airport_slot(tag[2:]) or is_state_slot(tag[2:]))
    )
    pools: dict[str, list[tuple[str, ...]]] = {}
    if airports:
        pools["airport_code"] = split_held_out(airport_codes(), held_out=False, exclude=taken)
        pools["airport_name"] = split_held_out(airport_names(), held_out=False, exclude=ordinary)
    if states:
        pools["state_code"] = split_held_out(state_codes(), held_out=False, exclude=taken)
        pools["state_name"] = split_held_out(state_names(), held_out=False, exclude=ordinary)
    return pools


def _place_rewrite(pools: dict[str, list[tuple[str, ...]]], inside: frozenset[str] | None = None) -> Rewrite:
    """Swap airports and states for names of the same kind; a repeated one stays one place.
    An airport name drops its final "airport" half of the time, as people leave it out.

    ``inside``: the slots that have an ``I-`` tag in training; any other (ATIS's bare
    ``state_name`` is always one word) gets one-word names only, as its tag set has no room
    for more (None: every slot may take several words)."""
    chosen: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}

    def rewrite(slot: str, tokens: tuple[str, ...], rng: random.Random) -> tuple[str, ...] | None:
        kind = slot.rsplit(".", 1)[-1]
        pool = pools.get(kind)
        if pool and inside is not None and slot not in inside:
            pool = [name for name in pool if len(name) == 1]
        if not pool:
            return None
        if (kind, tokens) not in chosen:
            name = rng.choice(pool)
            shorter = inside is None or slot in inside
            if kind == "airport_name" and shorter and len(name) > 1 and name[-1] == "airport" and rng.random() < 0.5:
                name = name[:-1]
            chosen[kind, tokens] = name
        return chosen[kind, tokens]

    return rewrite


def cities_to_codes(
    example: Example, codes: Sequence[tuple[str, ...]], slots: frozenset[str], rng: random.Random
) -> Example:
    """Each origin and destination city (``fromloc.city_name``, ...) becomes an airport code
    tagged ``fromloc.airport_code``, where training has that slot (``slots``); a repeated city
    becomes one code. A city named with its state ("denver colorado") stays: nobody writes
    "den colorado"."""
    chosen: dict[tuple[str, ...], tuple[str, ...]] = {}
    tokens: list[str] = []
    tags: list[str] = []
    position = 0
    for slot, a, b in bio_spans(example.tags):
        role = slot.split(".")[0]
        target = f"{role}.airport_code"
        with_state = b < len(example.tags) and is_state_slot(example.tags[b][2:])
        if not (is_city_slot(slot) and role != slot and target in slots) or with_state:
            continue
        code = chosen.setdefault(example.tokens[a:b], rng.choice(codes))
        tokens += [*example.tokens[position:a], *code]
        tags += [*example.tags[position:a], "B-" + target, *["I-" + target] * (len(code) - 1)]
        position = b
    if not chosen:
        return example
    tokens += example.tokens[position:]
    tags += example.tags[position:]
    return Example(tuple(tokens), tuple(tags), example.intent)


_CONSONANTS, _VOWELS = "bcdfghjklmnprstvwz", "aeiou"


def made_up_word(rng: random.Random) -> str:
    """A pronounceable string of two to four syllables ("zorbika"): a word no list holds."""
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 4)))


def rare_outside_words(examples: Sequence[Example], max_count: int = 2) -> list[str]:
    """Words seen at most ``max_count`` times, always outside slots, in order of appearance."""
    total: Counter[str] = Counter()
    inside: set[str] = set()
    for example in examples:
        for token, tag in zip(example.tokens, example.tags, strict=True):
            total[token] += 1
            if tag != "O":
                inside.add(token)
    return [w for w, n in total.items() if n <= max_count and w not in inside and w.isalpha()]


def intent_cues(examples: Sequence[Example], min_count: int = 3, share: float = 0.5) -> frozenset[str]:
    """Slot-less words that say the intent: seen at least ``min_count`` times, and in at least
    ``share`` of their sentences, with one intent that is not the commonest ("fare",
    "airlines", "ground"). A sentence whose cue became a made-up word would teach the intent
    head to answer without the cue."""
    if not examples:
        return frozenset()
    intents = Counter(e.intent for e in examples)
    commonest = intents.most_common(1)[0][0]
    seen: Counter[str] = Counter()
    seen_with: Counter[tuple[str, str]] = Counter()
    for example in examples:
        words = {t for t, tag in zip(example.tokens, example.tags, strict=True) if tag == "O"}
        seen.update(words)
        seen_with.update((w, example.intent) for w in words)
    return frozenset(
        word
        for (word, intent), n in seen_with.items()
        if intent != commonest and n >= min_count and n / seen[word] >= share
    )


def replace_unknown_word(
    example: Example, rng: random.Random, rare_words: Sequence[str] = (), keep: frozenset[str] = frozenset()
) -> Example:
    """``example`` with one slot-less word replaced by a made-up word (or, half of the time when
    ``rare_words`` are given, a rare one), its tag kept ``O``.

    The word just before a span is left alone: it is the cue ("from", "to", "between ... and")
    that says which role the span plays, and the tagger must go on reading it; so are the
    words of ``keep`` (``intent_cues``).
    """
    tags = example.tags
    candidates = [
        i
        for i, tag in enumerate(tags)
        if tag == "O" and (i + 1 == len(tags) or tags[i + 1] == "O") and example.tokens[i] not in keep
    ]
    if not candidates:
        return example
    position = rng.choice(candidates)
    word = rng.choice(rare_words) if rare_words and rng.random() < 0.5 else made_up_word(rng)
    tokens = (*example.tokens[:position], word, *example.tokens[position + 1 :])
    return Example(tokens, tags, example.intent)


class Augmenter:
    """Rewrites a fresh copy of the training sentences each epoch.

    ``span_swap``, ``city_swap`` and ``date_swap`` are the chances that a sentence's slot
    values (any slot, from ``span_values``), its cities, or its dates are rewritten, in
    that order; then ``airport_swap`` and ``state_swap`` (names from ``place_names``, by
    slot kind) and ``unknown_word`` (one slot-less word made unknown).
    """

    def __init__(
        self,
        city_names: Sequence[tuple[str, ...]],
        city_swap: float,
        date_swap: float,
        span_values: dict[str, list[tuple[str, ...]]] | None = None,
        span_swap: float = 0.0,
        *,
        place_names: dict[str, list[tuple[str, ...]]] | None = None,
        airport_swap: float = 0.0,
        state_swap: float = 0.0,
        rare_words: Sequence[str] = (),
        unknown_word: float = 0.0,
        inside_slots: frozenset[str] | None = None,
        city_code: float = 0.0,
        code_slots: frozenset[str] = frozenset(),
        kept_words: frozenset[str] = frozenset(),
    ) -> None:
        if city_swap > 0 and not city_names:
            raise ValueError("no city names to swap in")
        if span_swap > 0 and not span_values:
            raise ValueError("no slot values to swap in")
        if (airport_swap > 0 or state_swap > 0) and not place_names:
            raise ValueError("no airport or state names to swap in")
        if city_code > 0 and not (place_names or {}).get("airport_code"):
            raise ValueError("no airport codes to put in place of cities")
        self.city_names = list(city_names)
        self._one_word_cities = [name for name in self.city_names if len(name) == 1]
        self.city_swap = city_swap
        self.date_swap = date_swap
        self.span_swap = span_swap
        self.airport_swap = airport_swap
        self.state_swap = state_swap
        self.unknown_word = unknown_word
        self.city_code = city_code
        self.kept_words = kept_words
        self._code_slots = code_slots
        self.rare_words = list(rare_words)
        self._span_rewrite = _span_rewrite(span_values or {})
        places = place_names or {}
        self._inside = inside_slots
        self._airports = {k: list(v) for k, v in places.items() if k.startswith("airport")}
        self._states = {k: list(v) for k, v in places.items() if k.startswith("state")}
        self._codes = list(places.get("airport_code", ()))

    @classmethod
    def for_corpus(
        cls, train: Sequence[Example], city_swap: float, date_swap: float, span_swap: float = 0.0
    ) -> Augmenter:
        names: list[tuple[str, ...]] = []
        if city_swap > 0:
            from .cities import augmentation_cities

            names = augmentation_cities(words_mostly_outside_slots(train))
        return cls(names, city_swap, date_swap, slot_values(train) if span_swap > 0 else None, span_swap)

    @classmethod
    def for_train_config(cls, train: Sequence[Example], config: TrainConfig) -> Augmenter | None:
        """The augmenter ``config`` asks for, or None when it asks for no rewrite at all."""
        if not any(config.augmentation().values()):
            return None
        names: list[tuple[str, ...]] = []
        if config.city_swap > 0:
            from .cities import augmentation_cities

            names = augmentation_cities(words_mostly_outside_slots(train))
        places = None
        if config.airport_swap > 0 or config.state_swap > 0 or config.city_code > 0:
            airports = config.airport_swap > 0 or config.city_code > 0
            places = place_pools(train, airports=airports, states=config.state_swap > 0)
        return cls(
            names, config.city_swap, config.date_swap, slot_values(train) if config.span_swap > 0 else None,
            config.span_swap, place_names=places, airport_swap=config.airport_swap, state_swap=config.state_swap,
            rare_words=rare_outside_words(train) if config.unknown_word > 0 else (), unknown_word=config.unknown_word,
            inside_slots=frozenset(t[2:] for e in train for t in e.tags if t.startswith("I-")),
            city_code=config.city_code, code_slots=frozenset(t[2:] for e in train for t in e.tags if t != "O"),
            kept_words=intent_cues(train) if config.keep_intent_cues else frozenset(),
        )  # fmt: skip

    def __call__(self, examples: Sequence[Example], rng: random.Random) -> list[Example]:
        out = []
        for example in examples:
            if self.span_swap and rng.random() < self.span_swap:
                example = rewrite_spans(example, self._span_rewrite, rng)
            if rng.random() < self.city_swap:
                example = replace_cities(example, self.city_names, rng, self._inside, self._one_word_cities)
            if rng.random() < self.date_swap:
                example = rewrite_spans(example, typed_date, rng)
            # the newer rewrites draw nothing when off, so older recipes train as they did
            if self.airport_swap and rng.random() < self.airport_swap:
                example = rewrite_spans(example, _place_rewrite(self._airports, self._inside), rng)
            if self.state_swap and rng.random() < self.state_swap:
                example = rewrite_spans(example, _place_rewrite(self._states, self._inside), rng)
            if self.unknown_word and rng.random() < self.unknown_word:
                example = replace_unknown_word(example, rng, self.rare_words, self.kept_words)
            if self.city_code and rng.random() < self.city_code:
                example = cities_to_codes(example, self._codes, self._code_slots, rng)
            out.append(example)
        return out


def unseen_city_split(examples: Sequence[Example], train: Sequence[Example], seed: int = 0) -> list[Example]:
    """``examples`` with every city replaced by a held-out name no training sentence has.

    The names come from the tenth of the world list kept out of augmentation, minus any
    city found in ``train``; so the tagger has met them neither in ATIS nor in a swap.
    """
    from .cities import evaluation_cities

    known = frozenset(e.tokens[a:b] for e in train for slot, a, b in bio_spans(e.tags) if is_city_slot(slot))
    names = evaluation_cities(known)
    rng = random.Random(seed)
    return [replace_cities(e, names, rng) for e in examples]
