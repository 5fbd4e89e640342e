"""Which end of the trip a place is, from the words around it: "I'm in Denver", "my destination is Austin".

ATIS's questions start with "from X to Y", so the tagger knows little else; people also say
where they are ("I'm in", "I live in", "based in"), name the slot ("my destination is",
"departure city is", "change the origin to"), or put the role after the place ("Seattle is
my goal"). The longest phrase that ends just before the place decides; a phrase just after
it decides only when none before does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from . import lexicon

__all__ = ["CORRECTION_WORDS", "INSTEAD", "NEGATIONS", "NEXT", "Role", "place_role"]

Role = Literal["destination", "origin", "stop"]

_BEFORE: dict[tuple[str, ...], Role] = {}
for _phrases, _role in (
    ("i'm in|im in|i am in|we're in|we are in|are in|am in|is in|i live in|we live in|live in|based in|currently in|"
     "starting in|start in|starting from|leaving from|departing from|depart at|depart from|departing at|"
     "departure city is|departure city|departure is|origin is|origin city is|origin city|origin|origin to|"
     "home is|coming from|from|out of|flying out of|leave|leaving|depart|departing|starting at|"
     "from city is|the origin to|origin should be|home airport is|home airport|local airport is|nearest airport is|"
     "closest airport is", "origin"),
    ("to|into|arrive in|arriving in|arrive at|arriving at|land in|land at|landing in|landing at|reach|visit|"
     "visiting|towards|toward|destination is|destination|destination city is|destination to|the destination to|"
     "ending in|end in|end up in|be in|be at|in|arrive|arriving|going to|heading to|home to|get to|"
     "fly into|flying into|destination should be|bound for|headed to|headed for", "destination"),
):
    for _phrase in _phrases.split("|"):
        _BEFORE[tuple(_phrase.split())] = _role  # type: ignore[assignment]
for _arrow in (("-", ">"), (">",), ("→",), ("=", ">")):  # "SFO -> JFK": to the place after the arrow
    _BEFORE[_arrow] = "destination"
_AFTER: dict[tuple[str, ...], Role] = {
    ("is", "my", "goal"): "destination", ("is", "my", "destination"): "destination",
    ("is", "the", "destination"): "destination", ("is", "where", "i'm", "going"): "destination",
    ("is", "my", "origin"): "origin", ("is", "where", "i'm", "flying", "from"): "origin",
    ("is", "where", "i", "live"): "origin", ("is", "home"): "origin", ("is", "my", "home", "airport"): "origin",
    ("-", ">"): "origin", (">",): "origin", ("→",): "origin", ("=", ">"): "origin",  # "SFO -> JFK"
}  # fmt: skip
_LONGEST = max(len(p) for p in _BEFORE)
NEGATIONS = frozenset({"not", "instead of", "rather than"})
"""Words before a value that take it back: "Quito, not Lima", "4 pm not 4 am"."""
INSTEAD = frozenset({"no", "wait", "sorry", "actually", "mean", "meant", "rather", "instead", "correction", "make"})
"""Words between two places for one end that take the first back: "to boston, no wait, to new york"."""
NEXT = frozenset({"then", "after", "afterwards", "onward", "onwards"})
"""Words between two destinations that make the second another flight: "to boston, then on to new york"."""
CORRECTION_WORDS = frozenset({"meant", "mean", "said", "instead", "actually", "rather", "correction", "wait"})
"""Words that say the customer is correcting on purpose: a place said so needs no "Did you mean ...?"."""


def place_role(tokens: Sequence[str], start: int, end: int) -> Role | None:
    """The role the words around ``tokens[start:end]`` give a place, or None when they say nothing."""
    before = [t for t in tokens[max(0, start - _LONGEST - 1) : start] if t != "the"]
    if (before and before[-1] in lexicon.STOP_CUES) or (len(before) >= 2 and before[-2] in lexicon.STOP_CUES):
        return "stop"
    for size in range(min(_LONGEST, len(before)), 0, -1):
        role = _BEFORE.get(tuple(before[-size:]))
        if role is not None:
            return role
    after = tuple(tokens[end : end + 5])
    for phrase, role in _AFTER.items():
        if after[: len(phrase)] == phrase:
            return role
    return None


def negated(tokens: Sequence[str], start: int) -> bool:
    """Whether a value at ``start`` is taken back ("not Lima", "not the 8th", "instead of Boston")."""
    before = [t for t in tokens[max(0, start - 3) : start] if t not in {"the", ","}]
    return bool(before) and (before[-1] == "not" or " ".join(before[-2:]) in NEGATIONS)


def vouched(tokens: Sequence[str], start: int) -> bool:
    """Whether a correction word comes shortly before ("no wait, i meant milan")."""
    return any(t in CORRECTION_WORDS for t in tokens[max(0, start - 4) : start])
