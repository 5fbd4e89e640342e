"""The booking's other values, read from words: trip type, travellers, cabin, airline, nonstop.

Each reader takes the message's tokens (``None`` where an earlier reading claimed a word)
and returns what it found, with the words it used, so that nothing is read twice: "first
class" is a cabin, not the 1st of the month; "singapore airlines" an airline, not a city.
The tagger's ATIS spans (``class_type``, ``round_trip``, ``airline_name``, ``flight_stop``)
are a second source; words decide where both speak. A reader returns the slot's new value,
or ``None`` as the value where the customer took a preference back ("any airline").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ._airlines import AIRLINES
from .domain import Airline, Cabin, SlotName, Travellers

__all__ = [
    "Count",
    "Found",
    "Reader",
    "Uncounted",
    "Words",
    "airline_named",
    "read_airline",
    "read_all",
    "read_cabin",
    "read_nonstop",
    "read_travellers",
    "read_trip",
]


@dataclass(frozen=True, slots=True)
class Words:
    tokens: tuple[str | None, ...]
    """The message's tokens, ``None`` where another reading claimed the word."""
    tagged: tuple[tuple[str, int, int], ...] = ()
    """The tagger's spans: (slot kind without its prefix, start, end)."""
    text: str = ""
    """The message as typed (a name keeps its case and script)."""
    asked: SlotName | None = None
    """The slot the bot's last question asked for."""

    def without(self, found: Sequence[Found]) -> Words:
        """These words, less the ones ``found`` claimed."""
        tokens = tuple(None if any(f.start <= i < f.end for f in found) else t for i, t in enumerate(self.tokens))
        return replace(self, tokens=tokens)

    def at(self, i: int) -> str | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None


@dataclass(frozen=True, slots=True)
class Found:
    """A value said for ``slot`` by ``tokens[start:end]``."""

    slot: SlotName
    value: object
    start: int
    end: int


Phrases = dict[str, tuple[tuple[str, ...], ...]]
"""Phrases (token tuples) under their first word, longest first: a message is read once, not once per phrase."""


def _phrases(text: str) -> Phrases:
    indexed: dict[str, list[tuple[str, ...]]] = {}
    for phrase in (tuple(p.split()) for p in text.split("|")):
        indexed.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in indexed.items()}


def _find(words: Words, phrases: Phrases) -> list[tuple[int, int]]:
    """Where the phrases occur in the unclaimed words, longest first, without overlaps."""
    found: list[tuple[int, int]] = []
    tokens = words.tokens
    i = 0
    while i < len(tokens):
        for phrase in phrases.get(tokens[i] or "", ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                found.append((i, i + len(phrase)))
                i += len(phrase) - 1
                break
        i += 1
    return found


# --- trip type ------------------------------------------------------------------------------

_ROUND = _phrases("round trip|round-trip|roundtrip|round trips|return trip|return ticket|return flight|"
                  "return tickets|return flights|there and back|both ways")  # fmt: skip
_ONE_WAY = _phrases("one way|one-way|oneway|one way only|single ticket|not coming back|no return|"
                    "no return flight|don't need a return|dont need a return")  # fmt: skip


def read_trip(words: Words) -> list[Found]:
    found = [Found("trip", "round_trip", a, b) for a, b in _find(words, _ROUND)]
    found += [Found("trip", "one_way", a, b) for a, b in _find(words, _ONE_WAY)]
    return sorted(found, key=lambda f: f.start)


# --- travellers ------------------------------------------------------------------------------

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20}  # fmt: skip
_ADULT_UNITS = frozenset({"adult", "adults", "grown-ups", "grownups", "people", "persons", "person", "passengers",
                          "passenger", "travellers", "travelers", "traveller", "traveler", "tickets", "ticket",
                          "seats", "seat", "pax"})  # fmt: skip
_CHILD_UNITS = frozenset({"child", "children", "kid", "kids", "infant", "infants", "baby", "babies", "minor",
                          "minors", "toddler", "toddlers", "son", "sons", "daughter", "daughters"})  # fmt: skip
_ONE_CHILD = frozenset({"child", "kid", "infant", "baby", "toddler", "son", "daughter"})
_COMPANIONS = frozenset(
    {
        "wife",
        "husband",
        "partner",
        "spouse",
        "friend",
        "girlfriend",
        "boyfriend",
        "fiance",
        "fiancee",
        "fiancé",
        "fiancée",
        "mom",
        "mum",
        "mother",
        "dad",
        "father",
        "brother",
        "sister",
        "colleague",
        "coworker",
        "co-worker",
        "boss",
        "grandma",
        "grandmother",
        "grandpa",
        "grandfather",
        "aunt",
        "uncle",
        "cousin",
        "parents",
        "niece",
        "nephew",
        # several of one kind, counted ("with 3 friends", "and my two colleagues")
        "friends",
        "colleagues",
        "coworkers",
        "co-workers",
        "brothers",
        "sisters",
        "cousins",
        "grandparents",
        "buddies",
    }
)
_NOT_PEOPLE = frozenset(
    {
        "am",
        "pm",
        "o'clock",
        "oclock",
        "nights",
        "night",
        "days",
        "day",
        "weeks",
        "week",
        "hours",
        "hour",
        "minutes",
        "stops",
        "stop",
        "bags",
        "bag",
        "th",
        "st",
        "nd",
        "rd",
    }
)
# a child after these was born or is coming, the news a trip is for, not a traveller
_BORN = frozenset({"had", "having", "expecting", "adopted", "adopting", "welcomed", "welcoming"})
_SOLO = _phrases("just me|only me|just myself|by myself|on my own|traveling alone|travelling alone|flying alone|"
                 "just one person|only one person|one person|one passenger|one adult|solo")  # fmt: skip
_GROUP = _phrases("party of|group of|family of|we are|we're|there are")


@dataclass(frozen=True, slots=True)
class MoreTravellers:
    """People added to those already on the form ("add my wife", "my husband is coming too"):
    ``form.add_travellers`` adds them to what the form holds (one adult when nothing was said)."""

    adults: int
    children: int


_ADDING = frozenset({"add", "also", "too", "coming", "joining", "join", "plus"})


@dataclass(frozen=True, slots=True)
class Uncounted:
    """A party named without its number ("me and my friends", "with my kids"): those counted
    so far (the speaker and each person named) and what is still to be asked, how many people
    in all or how many children."""

    adults: int
    children: int
    asking: Literal["people", "children"]


@dataclass(frozen=True, slots=True)
class Count:
    """A number alone, said to "How many ...?": what it counts is the question's to say."""

    number: int


# several people of one kind, said without their number: how many is asked, not guessed
_UNCOUNTED_ADULTS = frozenset({"friends", "colleagues", "coworkers", "co-workers", "brothers", "sisters", "cousins",
                               "buddies", "mates", "pals", "in-laws", "relatives", "folks"})  # fmt: skip
_UNCOUNTED_CHILDREN = frozenset({"kids", "children", "sons", "daughters", "grandkids", "grandchildren", "babies",
                                 "toddlers"})  # fmt: skip
_COUNT_ONLY = frozenset({"of", "us", "in", "total", "all", "people", "persons", "altogether", "together", "we're", "we",
                         "are", "there", "will", "be", "just", "only", "ok", "okay", "so", "um", "uh"})  # fmt: skip


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    if word.isascii() and word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _count_alone(words: Words) -> Found | None:
    """ "4", "four of us", "5 in total": a number said alone, in answer to "How many ...?"."""
    numbers = [(i, _number(t)) for i, t in enumerate(words.tokens) if t is not None and _number(t) is not None]
    others = [t for t in words.tokens if t is not None and _number(t) is None]
    if len(numbers) != 1 or any(t not in _COUNT_ONLY for t in others):
        return None
    (i, number) = numbers[0]
    return Found("travellers", Count(number), i, i + 1) if number and words.tokens[i] not in ("a", "an") else None


def _uncounted(words: Words, adults: int, children: int) -> Found | None:
    """ "me and my friends", "with my kids", "my wife and the kids": someone named in the plural
    with no number. ``adults`` and ``children``: the party as counted, each such plural as one."""
    tokens = words.tokens
    plural = [i for i, t in enumerate(tokens) if t in _UNCOUNTED_ADULTS | _UNCOUNTED_CHILDREN
              and words.at(i - 1) in ("my", "our", "the", "with", "and")]  # fmt: skip
    if not plural:
        return None
    grown = [i for i in plural if tokens[i] in _UNCOUNTED_ADULTS]
    owned = [i for i in plural if _owned(words, i)]  # the ones counted (as one each) above
    known_adults = adults - sum(1 for i in owned if tokens[i] in _UNCOUNTED_ADULTS)
    known_children = children - sum(1 for i in owned if tokens[i] in _UNCOUNTED_CHILDREN)
    party = Uncounted(adults=max(known_adults, 1), children=max(known_children, 0),
                      asking="people" if grown else "children")  # fmt: skip
    return Found("travellers", party, min(plural) - 1, max(plural) + 1)


_AGED = re.compile(r"^(\d{1,2})-(?:year|yr)-olds?$")


def _ages_as_children(words: Words) -> Words:
    """ "my 5 year old", "a 3-year-old", "two 5 year olds": a child said by its age, read as "kid"
    ("kids") in the age's place; "my 12-year-old son" is the son, moved there, counted as such."""
    tokens = list(words.tokens)
    for i, token in enumerate(tokens):
        if token is None:
            continue
        aged = _AGED.match(token)
        size = 1 if aged else 3
        age = int(aged[1]) if aged else (_number(token) if tokens[i + 1 : i + 2] in (["year"], ["yr"]) else None)
        last = tokens[i + size - 1] if i + size - 1 < len(tokens) else None
        if age is None or age >= 18 or (not aged and last not in ("old", "olds")):
            continue
        after = tokens[i + size] if i + size < len(tokens) else None
        if after in _CHILD_UNITS or after in _COMPANIONS:  # "my 12-year-old son": the son, where the age was
            tokens[i : i + size + 1] = [after] + [None] * size
        else:
            tokens[i : i + size] = ["kids" if (last or "").endswith("olds") else "kid"] + [None] * (size - 1)
    return replace(words, tokens=tuple(tokens))


def read_travellers(words: Words) -> list[Found]:
    """ "for two", "3 adults and a child", "me and my wife", "just me", "party of four"; a party
    named without its number ("me and my friends") is to be counted; a number alone answers
    "How many ...?"."""
    if words.asked == "travellers" and (alone := _count_alone(words)) is not None:
        return [alone]
    words = _ages_as_children(words)
    tokens, n = words.tokens, len(words.tokens)
    adults = children = 0
    used: list[int] = []
    people: int | None = None
    for i in range(n):
        count = _number(tokens[i])
        unit = words.at(i + 1)
        if (
            count is not None
            and unit in _ADULT_UNITS | _CHILD_UNITS
            and not (tokens[i] in ("a", "an") and unit in _ADULT_UNITS)
            and words.at(i - 1) not in _BORN  # "my daughter had a baby" is why, not who flies
        ):
            if unit in _CHILD_UNITS:
                children += count
            elif unit in {"people", "persons", "person", "passengers", "passenger", "tickets", "seats", "pax"}:
                people = (people or 0) + count
            else:
                adults += count
            used += [i, i + 1]
    if people is not None:
        adults = max(adults, people - children) if adults == 0 else adults
    if children and not adults and any(t in _ADDING for t in tokens) and _companions(words) is None:
        # "my 2 kids are coming too": with whoever the form holds (one adult by default), not alone
        return [Found("travellers", MoreTravellers(adults=0, children=children), min(used), max(used) + 1)]
    if children and not adults:  # "me and my husband and our two kids": the adults are the speaker's party
        companions = _companions(words)  # none ("and two kids"): 0 adults, the form keeps the ones it has
        adults = companions[0][0] if companions is not None else 0
        used += companions[1] if companions is not None else []
    counted = bool(used)
    if not counted:
        for a, b in _find(words, _GROUP):
            count = _number(words.at(b))
            if count is not None and words.at(b + 1) not in _NOT_PEOPLE:
                adults, used, counted = count, [*range(a, b + 1)], True
                break
    if not counted:
        for i in range(n):
            count = _number(tokens[i])
            if count is not None and (words.at(i + 1) in ("of",) and words.at(i + 2) == "us"):
                adults, used, counted = count, [i, i + 1, i + 2], True
                break
            if count is not None and tokens[i] not in ("a", "an") and words.at(i - 1) == "for" \
                    and words.at(i + 1) not in _NOT_PEOPLE and not (words.at(i + 1) or "").isdecimal():  # fmt: skip
                adults, used, counted = count, [i - 1, i], True
                break
    if not counted:
        companions = _companions(words)
        if companions is not None:
            (adults, children), used, counted = companions[0], companions[1], True
        uncounted = None if any(t in _ADDING for t in tokens) else _uncounted(words, adults, children)
        if uncounted is not None:
            return [uncounted]
    if not counted and any(t in _ADDING for t in tokens):  # "add my wife", "my husband is coming too"
        brought = _brought(words)
        if brought is not None:
            (grown, young), spans = brought
            return [Found("travellers", MoreTravellers(adults=grown, children=young), min(spans), max(spans) + 1)]
    if not counted:
        solo = _find(words, _SOLO)
        if solo:
            a, b = solo[0]
            adults, used, counted = 1, [*range(a, b)], True
    if not counted:
        return []
    return [Found("travellers", Travellers(adults=adults, children=children), min(used), max(used) + 1)]


# a person the trip is to see, not one who flies: "to visit my daughter", "my son lives in austin"
_SEEN = frozenset({"visit", "visiting", "see", "seeing", "surprise", "surprising", "meet", "meeting", "join",
                   "joining"})  # fmt: skip
_THERE = frozenset({"lives", "live", "living", "works", "moved", "studies", "stays", "resides"})


def _stays(words: Words, i: int) -> bool:
    """Whether the person at ``i`` is where the trip goes, not one of its travellers."""
    after = words.at(i + 1)
    return words.at(i - 2) in _SEEN or after in _THERE or (after == "who" and words.at(i + 2) in _THERE)


def _owned(words: Words, i: int) -> bool:
    """ "my wife", "our two kids", "and 2 children": a person the speaker brings along."""
    if _stays(words, i):
        return False
    before = words.at(i - 1)
    if before in ("my", "our") or (before == "the" and words.tokens[i] in _ONE_CHILD):  # "and the baby"
        return True
    return _number(before) is not None and words.at(i - 2) in ("my", "our", "and", "with", "plus", "+")


def _companions(words: Words) -> tuple[tuple[int, int], list[int]] | None:
    """ "me and my wife", "my wife and i", "with my husband and two kids": the speaker plus each person named."""
    brought = _brought(words)
    if brought is None or not any(t in ("me", "i", "myself", "with") for t in words.tokens):
        return None
    (adults, children), spans = brought
    return (1 + adults, children), spans


def _brought(words: Words) -> tuple[tuple[int, int], list[int]] | None:
    """The people the speaker names as theirs ("my wife", "our two kids"): (adults, children), and
    the tokens that say so; None: nobody."""
    tokens = words.tokens
    owned = [i for i, t in enumerate(tokens) if (t in _COMPANIONS or t in _CHILD_UNITS) and _owned(words, i)]
    if not owned:
        return None
    adults = children = 0
    for i in owned:
        count = _number(words.at(i - 1)) or (2 if tokens[i] in ("parents", "grandparents") else 1)
        if tokens[i] in _CHILD_UNITS:
            children += count
        else:
            adults += count
    return (adults, children), [j for i in owned for j in (i - 1, i)]


# --- cabin -----------------------------------------------------------------------------------

_CABINS: dict[Cabin, Phrases] = {
    "premium_economy": _phrases("premium economy|premium economy class|premium-economy|premium class|premium"),
    "business": _phrases("business class|business-class|business"),
    "first": _phrases("first class|first-class|1st class|in first|fly first|flying first"),
    "economy": _phrases("economy class|economy|coach class|coach|standard class|thrift|cheapest class"),
}
_NOT_CABIN_AFTER = frozenset({"trip", "trips", "meeting", "meetings", "travel", "traveller", "traveler", "conference",
                              "hours", "day", "days"})  # fmt: skip


def read_cabin(words: Words) -> list[Found]:
    found = []
    for cabin, phrases in _CABINS.items():
        for a, b in _find(words, phrases):
            if words.at(b) in _NOT_CABIN_AFTER:  # "a business trip" is no cabin
                continue
            found.append(Found("cabin", cabin, a, b))
        words = words.without(found)
    return sorted(found, key=lambda f: f.start)


# --- airline ---------------------------------------------------------------------------------

_BRANDS = _phrases("|".join(name for a in AIRLINES for name in a.names))
_WORDS = _phrases("|".join(name for a in AIRLINES for name in a.words))
_BY_PHRASE = {tuple(p.split()): a for a in AIRLINES for p in (*a.names, *a.words)}
_AIRLINE_BEFORE = frozenset({"on", "with", "fly", "flying", "by", "prefer", "airline", "carrier"})
_AIRLINE_AFTER = frozenset({"flight", "flights", "airline", "airlines", "please", "only", "if"})
_ANY_AIRLINE = _phrases("any airline|any carrier|whatever airline|whichever airline|any airline is fine|"
                        "no airline preference|no preference for the airline|don't care about the airline|"
                        "dont care about the airline|doesn't matter which airline|any airline will do")  # fmt: skip


def airline_named(text: str) -> Airline | None:
    """The airline a phrase names, if the table has it ("delta" -> Delta Air Lines)."""
    entry = _BY_PHRASE.get(tuple(text.lower().split()))
    return None if entry is None else Airline(code=entry.code, name=entry.name)


def read_airline(words: Words) -> list[Found]:
    found = [Found("airline", None, a, b) for a, b in _find(words, _ANY_AIRLINE)]
    claimed = words.without(found)
    tagged = [(a, b) for kind, a, b in words.tagged if kind in ("airline_name", "airline_code")]
    for a, b in _find(claimed, _BRANDS):
        found.append(Found("airline", airline_named(" ".join(claimed.tokens[a:b])), a, b))  # type: ignore[arg-type]
    taken = [(f.start, f.end) for f in found]
    for a, b in _find(claimed, _WORDS):
        if any(x < b and a < y for x, y in taken):
            continue
        beside = claimed.at(a - 1) in _AIRLINE_BEFORE or claimed.at(b) in _AIRLINE_AFTER
        if beside or any(x <= a and b <= y for x, y in tagged):
            found.append(Found("airline", airline_named(" ".join(claimed.tokens[a:b])), a, b))  # type: ignore[arg-type]
    for a, b in tagged:  # a code the tagger marked: "dl", "ua"
        if b - a == 1 and not any(f.start <= a < f.end for f in found):
            code = (words.at(a) or "").upper()
            entry = next((e for e in AIRLINES if e.code == code), None)
            if entry is not None:
                found.append(Found("airline", Airline(code=entry.code, name=entry.name), a, b))
    return sorted(found, key=lambda f: f.start)


# --- nonstop ---------------------------------------------------------------------------------

_NONSTOP = _phrases("nonstop|non-stop|non stop|nonstops|direct flight|direct flights|direct|no stops|no stop|"
                    "without stops|without stopping|without a stop|no layovers|no layover|no connections|"
                    "no connection|no stopovers|don't want any stops|dont want any stops|don't want stops|no stopping|"
                    "not stopping")  # fmt: skip
_STOPS_FINE = _phrases("stops are fine|stops are ok|stops are okay|a stop is fine|a stop is ok|one stop is fine|"
                       "one stop is ok|connections are fine|connecting is fine|don't mind stops|dont mind stops|"
                       "don't mind a stop|doesn't have to be nonstop|does not have to be nonstop|"
                       "doesn't need to be nonstop|stops are alright|layovers are fine|a layover is fine|"
                       "any number of stops|stops allowed")  # fmt: skip


def read_nonstop(words: Words) -> list[Found]:
    fine = [Found("nonstop", False, a, b) for a, b in _find(words, _STOPS_FINE)]
    claimed = words.without(fine)
    found = fine + [Found("nonstop", True, a, b) for a, b in _find(claimed, _NONSTOP)]
    return sorted(found, key=lambda f: f.start)


Reader = Callable[[Words], list[Found]]


def read_all(words: Words, readers: Sequence[Reader]) -> list[Found]:
    """Every value the readers find, in order, each word used once ("one way" is no traveller
    count); the last said of a slot wins in the policy."""
    found: list[Found] = []
    for reader in readers:
        found += reader(words)
        words = words.without(found)
    return sorted(found, key=lambda f: f.start)
