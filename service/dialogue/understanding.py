"""What one message says, for the booking: the tagger's spans checked against words, places and dates.

The tagger comes first: its ``toloc.*``/``fromloc.*`` spans are destination and origin
mentions, its confidence is kept so the policy can ask "Did you mean ...?". Three
readings do not depend on it, so the dialogue still works where the model is weak:

* dates and times are found by ``dates.find_moments``; whether one is the arrival or the
  departure is decided by the nearest cue word before it ("leave ... on Nov. 2nd" is a
  departure), then by an ``arrive_*`` tag. ATIS tags every undirected flight date
  ``depart_date``, so a date without a departure word counts as the arrival, the date the
  booking form is built around;
* places the tagger missed (an unseen "Taipei") are found in the city list when a cue
  word precedes them ("to taipei", "leave taipei") or the message is a bare answer
  ("Taipei", "taipei please"); a bare answer's slot is decided by the policy from context;
* booking references, and dialogue acts from ``lexicon``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from model import Parse

from . import lexicon
from .dates import Moment, find_moments
from .places import gazetteer

__all__ = ["MomentMention", "PlaceMention", "Understanding", "understand"]

PlaceRole = Literal["destination", "origin"]
_PLACE_SLOTS = ("city_name", "airport_name", "airport_code", "state_name", "country_name", "state_code")
# Anything that looks like a booking reference (letters and digits, 6 to 10 of them), so that
# a mistyped one is answered "no such booking" rather than read as something else.
_REFERENCE = re.compile(r"^[a-z0-9]{6,10}$")
_PUNCTUATION = frozenset(",.!?;:'\"()-/")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """Words naming a place at ``tokens[start:end]``.

    ``role`` is what the words around it say (None: nothing does; the policy decides from
    the question asked); ``cued`` says a cue word, not the tagger, decided it;
    ``confidence`` is the tagger's (1.0 for places it did not tag).
    """

    text: str
    start: int
    end: int
    role: PlaceRole | None
    tagged: bool
    cued: bool
    confidence: float
    airport_code: bool = False
    bare: bool = False
    """The whole message is this place (and filler words): a bare answer, whatever the tagger's direction."""


@dataclass(frozen=True, slots=True)
class MomentMention:
    moment: Moment
    role: Literal["arrival", "departure"]
    text: str


@dataclass(frozen=True, slots=True)
class Understanding:
    tokens: tuple[str, ...]
    acts: frozenset[str]
    places: tuple[PlaceMention, ...]
    moments: tuple[MomentMention, ...]
    references: tuple[str, ...]
    leftover: tuple[str, ...]
    """Content words nothing above explains: what to name when the bot did not understand."""

    @property
    def has_values(self) -> bool:
        return bool(self.places or self.moments)


def _covered(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in ranges)


def _place_cue(tokens: Sequence[str], start: int) -> PlaceRole | Literal["stop"] | None:
    before = tokens[max(0, start - 2) : start]
    previous = before[-1] if before else ""
    if previous in lexicon.STOP_CUES or (len(before) == 2 and before[0] in lexicon.STOP_CUES):
        return "stop"
    if previous in lexicon.FROM_CUES or tuple(before) == ("out", "of"):
        return "origin"
    if previous in lexicon.TO_CUES or (previous == "at" and len(before) == 2 and before[0] in lexicon.ARRIVE_CUES):
        return "destination"
    return None


def _moment_role(tokens: Sequence[str], tags: Sequence[str], moment: Moment) -> Literal["arrival", "departure"]:
    cue = None
    for word in reversed(tokens[: moment.start]):
        if word in lexicon.ARRIVE_CUES or word in lexicon.DEPART_CUES:
            cue = "departure" if word in lexicon.DEPART_CUES else "arrival"
            break
    tagged_arrival = any(tag[2:].startswith("arrive_") for tag in tags[moment.start : moment.end])
    return "departure" if cue == "departure" and not tagged_arrival else "arrival"


def _tagged_places(parse: Parse, taken: list[tuple[int, int]]) -> list[PlaceMention]:
    mentions = []
    for span in parse.spans:
        prefix, _, kind = span.slot.rpartition(".")
        if kind not in _PLACE_SLOTS or prefix == "stoploc" or _covered(taken, span.start, span.end):
            continue
        words = parse.tokens[span.start : span.end]
        if all(t in _PUNCTUATION for t in words):
            continue
        if all(t in lexicon.FILLERS or t in _ACT_WORDS for t in words):  # "thanks" is no place, whatever the tag
            continue
        role: PlaceRole | None = {"toloc": "destination", "fromloc": "origin"}.get(prefix)
        mentions.append(
            PlaceMention(span.text, span.start, span.end, role, True, False, span.confidence, kind == "airport_code")
        )
    return mentions


def _merge(tokens: Sequence[str], mentions: list[PlaceMention], found: list[tuple[int, int]]) -> list[PlaceMention]:
    """Add the city list's finds, widen tagged spans to them, and join "city, region" pairs."""
    result = list(mentions)
    for start, end in found:
        overlapping = [m for m in result if m.start < end and start < m.end]
        if not overlapping:
            result.append(PlaceMention(" ".join(tokens[start:end]), start, end, None, False, False, 1.0))
            continue
        first = overlapping[0]
        a, b = min(start, first.start), max(end, first.end)
        widened = replace(first, text=" ".join(tokens[a:b]), start=a, end=b)
        result = [widened if m is first else m for m in result if m is first or m not in overlapping]
    result.sort(key=lambda m: m.start)
    joined: list[PlaceMention] = []
    for mention in result:
        if joined:
            last = joined[-1]
            gap = tokens[last.end : mention.start]
            if all(t == "," for t in gap) and gazetteer().is_region(mention.text) and not last.airport_code:
                text = f"{last.text} {mention.text}"
                joined[-1] = replace(last, text=text, end=mention.end, tagged=last.tagged or mention.tagged,
                                     role=last.role or mention.role,
                                     confidence=min(last.confidence, mention.confidence))
                continue
        joined.append(mention)
    return joined


def _assign_roles(tokens: Sequence[str], mentions: list[PlaceMention]) -> list[PlaceMention]:
    roled = []
    for mention in mentions:
        cue = _place_cue(tokens, mention.start)
        if cue == "stop":
            continue  # a stopover is not part of the booking
        if cue is not None:
            roled.append(replace(mention, role=cue, cued=True))
        elif mention.role == "origin":
            roled.append(replace(mention, role=None))  # ATIS tags a bare city "fromloc": only context can tell
        else:
            roled.append(mention)
    if any(m.role == "destination" for m in roled):  # "boston to denver": the other city is the origin
        tagged_origins = [m for m in mentions if m.role == "origin"]
        roled = [
            replace(m, role="origin") if m.role is None and any(o.start == m.start for o in tagged_origins) else m
            for m in roled
        ]
    return roled


_ACT_WORDS = frozenset(w for phrases in lexicon.ACT_PHRASES.values() for p in phrases for w in p)


def _leftover(tokens: Sequence[str], taken: list[tuple[int, int]], places: Sequence[PlaceMention]) -> tuple[str, ...]:
    used = [*taken, *((m.start, m.end) for m in places)]
    return tuple(
        t
        for i, t in enumerate(tokens)
        if not _covered(used, i, i + 1) and t not in lexicon.FILLERS and t not in _ACT_WORDS and t not in _PUNCTUATION
    )


def understand(parse: Parse) -> Understanding:
    """Read one tagged message; pure, and the same for the same parse."""
    tokens = list(parse.tokens)
    tags = list(parse.tags) or ["O"] * len(tokens)
    moments = find_moments(tokens)
    taken = [(m.start, m.end) for m in moments]
    references = []
    for i, token in enumerate(tokens):
        if _REFERENCE.match(token) and re.search(r"\d", token) and re.search(r"[a-z]", token):
            references.append(token.upper())
            taken.append((i, i + 1))
    taken += [(s.start, s.end) for s in parse.spans if s.slot.startswith("stoploc.")]
    tagged = _tagged_places(parse, taken)
    searchable = [t if not _covered(taken, i, i + 1) else "\0" for i, t in enumerate(tokens)]
    found = [(a, b) for a, b in gazetteer().find(searchable) if not _covered(taken, a, b)]
    places = _assign_roles(tokens, _merge(tokens, tagged, found))
    leftover = _leftover(tokens, taken, places)
    if leftover and not any(m.tagged or m.cued for m in places):
        # An untagged, uncued name counts only as a bare answer: "taipei", "taipei please".
        places = []
        leftover = _leftover(tokens, taken, places)
    elif any(m.tagged or m.cued for m in places):
        places = [m for m in places if m.tagged or m.cued]
    if len(places) == 1 and not places[0].cued and not leftover:
        places = [replace(places[0], bare=True)]
    moment_mentions = tuple(
        MomentMention(m, _moment_role(tokens, tags, m), " ".join(tokens[m.start : m.end])) for m in moments
    )
    return Understanding(
        tokens=tuple(tokens),
        acts=lexicon.acts(tokens),
        places=tuple(places),
        moments=moment_mentions,
        references=tuple(references),
        leftover=leftover,
    )
