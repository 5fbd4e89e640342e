"""What one message says, for the booking: the tagger's spans checked against words, places and dates.

The tagger comes first: its ``toloc.*``/``fromloc.*`` spans are destination and origin
mentions, its confidence is kept so the policy can ask "Did you mean ...?". Readings that do
not depend on it keep the dialogue working where the model is weak:

* dates and times are found by ``dates.find_moments``; whether one is the arrival or the
  departure is decided by the nearest cue word before it ("leave ... on Nov. 2nd" is a
  departure) unless a destination stands between, then by an ``arrive_*`` tag. ATIS tags
  every undirected flight date ``depart_date``, so a date without a departure word counts as
  the arrival. A date and a time of the same role said apart ("on March 3rd, ... by 6") are
  one moment;
* places the tagger missed (an unseen "Taipei", a typed code "lhr") are found in the
  gazetteer; the words around them (``direction``) say which end of the trip they are ("I'm
  in Denver", "my destination is", "change the origin to"); a bare answer's slot is decided by
  the policy from context; a well-known city said among other words is kept as *loose*, for
  the policy to use or ask about, never dropped silently;
* a value after "not" is taken back ("Quito, not Lima", "4 pm not 4 am"); what it replaces is
  kept, so the policy knows which slot the new value is for;
* the form's other values (trip type, travellers, cabin, airline, nonstop, the traveller's
  name) by the readers its rows name, before anything else, so their words are no date or
  place ("first class", "singapore airlines"); "back" or "returning" before a date makes it
  the return;
* booking references, and dialogue acts from ``lexicon``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from model import Parse

from . import lexicon
from .dates import Moment, find_moments, spelled
from .direction import INSTEAD, NEXT, negated, place_role, vouched
from .domain import SlotName
from .form import CONFIDENCE_FLOOR, READERS
from .places import gazetteer
from .preferences import Found, Words, read_all

__all__ = ["MomentMention", "PlaceMention", "Understanding", "understand"]

PlaceRole = Literal["destination", "origin"]
_PLACE_SLOTS = ("city_name", "airport_name", "airport_code", "state_name", "country_name", "state_code")
# Anything that looks like a booking reference (letters and digits, 6 to 10 of them), so that
# a mistyped one is answered "no such booking" rather than read as something else.
_REFERENCE = re.compile(r"^[a-z0-9]{6,10}$")
_CODE = re.compile(r"^[a-z]{3}$")
_CODE_PAIR = re.compile(r"^([a-z]{3})-([a-z]{3})$")
_PUNCTUATION = frozenset(",.!?;:'\"()-/")
_ACT_WORDS = frozenset(w for phrases in lexicon.ACT_PHRASES.values() for p in phrases for w in p)
_EDGE_WORDS = lexicon.FILLERS | _PUNCTUATION | {"instead", "then", "please", "too"}
# region codes that are also words: counted only after a comma or at the end ("Portland, OR", "Seattle WA")
_WORD_CODES = frozenset(
    {
        "on",
        "in",
        "or",
        "me",
        "hi",
        "oh",
        "ok",
        "la",
        "de",
        "co",
        "id",
        "pa",
        "ma",
        "al",
        "ga",
        "mo",
        "ne",
        "sa",
        "wa",
        "nt",
        "ns",
        "ms",
        "mt",
    }
)


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
    vouched: bool = False
    """Said as a correction ("i meant milan"): the customer is sure, so no "Did you mean ...?"."""


MomentRole = Literal["arrival", "departure", "returning"]


@dataclass(frozen=True, slots=True)
class MomentMention:
    moment: Moment
    role: MomentRole
    text: str
    cued: bool = False
    """A word (or the tagger's ``arrive_*``) said which moment it is; else it answers the question asked."""


@dataclass(frozen=True, slots=True)
class Understanding:
    tokens: tuple[str, ...]
    acts: frozenset[str]
    places: tuple[PlaceMention, ...]
    moments: tuple[MomentMention, ...]
    references: tuple[str, ...]
    leftover: tuple[str, ...]
    """Content words nothing above explains: what to name when the bot did not understand."""
    replaced: tuple[str, ...] = ()
    """Places taken back ("not Lima"): the slot holding one of them is the slot a new place is for."""
    loose: tuple[PlaceMention, ...] = ()
    """Well-known cities said among other words, with nothing saying what they are for."""
    values: tuple[Found, ...] = ()
    """The form's other values, in the order said (``None`` as a value takes a preference back)."""

    @property
    def has_values(self) -> bool:
        return bool(self.places or self.moments or self.values)


def _covered(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in ranges)


def _trimmed(tokens: Sequence[str], mention: PlaceMention) -> PlaceMention:
    """Without filler words at its ends: the tagger's "fresno instead" is Fresno."""
    start, end = mention.start, mention.end
    while end - start > 1 and tokens[end - 1] in _EDGE_WORDS and not gazetteer().is_place(" ".join(tokens[start:end])):
        end -= 1
    while end - start > 1 and tokens[start] in _EDGE_WORDS and not gazetteer().is_place(" ".join(tokens[start:end])):
        start += 1
    if not gazetteer().is_place(" ".join(tokens[start:end])):
        # the tagger ran on past the city ("st. louis because of ..."): the well-known city it began with
        end = next((cut for cut in range(end - 1, start, -1) if gazetteer().well_known(" ".join(tokens[start:cut]))),
                   end)  # fmt: skip
    if (start, end) == (mention.start, mention.end):
        return mention
    return replace(mention, text=" ".join(tokens[start:end]), start=start, end=end)


def _tagged_places(parse: Parse, taken: list[tuple[int, int]]) -> list[PlaceMention]:
    mentions = []
    for span in parse.spans:
        prefix, _, kind = span.slot.rpartition(".")
        if kind not in _PLACE_SLOTS or _covered(taken, span.start, span.end):
            continue
        words = parse.tokens[span.start : span.end]
        if all(t in _PUNCTUATION for t in words):
            continue
        if all(t in lexicon.FILLERS or t in _ACT_WORDS for t in words):  # "thanks" is no place, whatever the tag
            continue
        # a stop-over needs a stop word ("via Denver"): otherwise the tagger's "stoploc" is a guess
        role: PlaceRole | None = {"toloc": "destination", "fromloc": "origin"}.get(prefix)
        code = kind == "airport_code"
        # the tagger's "lisbon not madrid" and "detroit , not boston" are two places, one taken back
        cuts = [i for i in range(span.start, span.end) if parse.tokens[i] in {"not", ","}]
        for a, b in zip([span.start, *(c + 1 for c in cuts)], [*cuts, span.end], strict=True):
            if a < b:
                part = PlaceMention(" ".join(parse.tokens[a:b]), a, b, role, True, False, span.confidence, code)
                if not all(t in lexicon.FILLERS or t in _ACT_WORDS for t in parse.tokens[a:b]):
                    mentions.append(_trimmed(parse.tokens, part))
    return mentions


def _doubtful(mention: PlaceMention, found: Sequence[tuple[int, int]], tokens: Sequence[str]) -> bool:
    """A word the tagger is unsure is a place, which no list knows or which follows "a" (a noun,
    not a name: "a *surprise* for my wife", though Surprise is a town by Phoenix), while the
    lists know a place elsewhere in the message: "one *more* please: austin on feb 6th" is about
    Austin. Sure of it, or with no other place said ("fly to blorptown"), it stays, to be named back."""
    article = mention.start > 0 and tokens[mention.start - 1] in ("a", "an")
    return (
        mention.confidence < CONFIDENCE_FLOOR
        and any(b <= mention.start or mention.end <= a for a, b in found)
        and (article or not gazetteer().is_place(mention.text))
    )


_SURE = 0.9
_WHOM = [[w] for w in ("my", "our", "his", "her", "their", "him", "them", "us", "me")]


def _verb(mention: PlaceMention, found: Sequence[tuple[int, int]], tokens: Sequence[str]) -> bool:
    """A word the tagger is not sure is a place, with a person right after it, while a place is
    said elsewhere: a verb ("to *surprise* my mom in tampa": Surprise is a town in Arizona)."""
    after = list(tokens[mention.end : mention.end + 5])
    party = any(after[k] == "and" and after[k + 1] in ("i", "me", "myself") for k in range(len(after) - 1))
    return (
        mention.confidence < _SURE
        and after[:1] in _WHOM
        and not party  # "to austin my wife and i": who flies, not whom the trip is for
        and any(b <= mention.start or mention.end <= a for a, b in found)
    )


def _codes(tokens: Sequence[str], taken: list[tuple[int, int]], names: list[tuple[int, int]]) -> list[PlaceMention]:
    """Airport codes typed as such: "to lhr", "fly into NRT", "BOS-DEN" (whatever the tagger made of it)."""
    found = []
    for i, token in enumerate(tokens):
        if _covered(taken, i, i + 1):
            continue
        pair = _CODE_PAIR.match(token)
        if pair and not gazetteer().is_place(token) and all(gazetteer().airport(code) for code in pair.groups()):
            found.append(PlaceMention(pair.group(1), i, i + 1, "origin", False, True, 1.0, airport_code=True))
            found.append(PlaceMention(pair.group(2), i, i + 1, "destination", False, True, 1.0, airport_code=True))
            continue
        if _covered(names, i, i + 1) or not _CODE.match(token) or token in lexicon.FILLERS or token in _ACT_WORDS \
                or gazetteer().is_place(token):  # fmt: skip
            continue
        role = place_role(tokens, i, i + 1)
        if role is None and tokens[i + 1 : i + 2] == ["to"]:  # "fly lga to dca": from the first
            role = "origin"
        alone = len([t for t in tokens if t not in lexicon.FILLERS and t not in _PUNCTUATION]) == 1
        if (role in ("destination", "origin") or alone) and gazetteer().airport(token) is not None:
            found.append(PlaceMention(token, i, i + 1, role if role != "stop" else None, False, role is not None,
                                      1.0, airport_code=True, bare=alone))  # fmt: skip
    return found


def _merge(tokens: Sequence[str], mentions: list[PlaceMention], found: list[tuple[int, int]]) -> list[PlaceMention]:
    """Add the gazetteer's finds, widen tagged spans to them, and join a city with its region:
    "paris, france", "florence in italy", "seattle, wa", "portland or"."""
    result = list(mentions)
    for start, end in found:
        words = tokens[start:end]
        if all(t in lexicon.FILLERS or t in _ACT_WORDS for t in words):  # "make" is no place, whatever names it
            continue
        overlapping = [m for m in result if m.start < end and start < m.end]
        if not overlapping:
            result.append(PlaceMention(" ".join(words), start, end, None, False, False, 1.0))
            continue
        first = overlapping[0]
        if first.airport_code:
            continue
        a, b = min(start, first.start), max(end, first.end)
        widened = replace(first, text=" ".join(tokens[a:b]), start=a, end=b)
        result = [widened if m is first else m for m in result if m is first or m not in overlapping]
    result.sort(key=lambda m: m.start)
    joined: list[PlaceMention] = []
    for mention in result:
        if joined:
            last = joined[-1]
            gap = tokens[last.end : mention.start]
            if (all(t == "," for t in gap) or gap == ["in"]) and gazetteer().is_region(mention.text) \
                    and not last.airport_code:  # fmt: skip
                joined[-1] = replace(last, text=f"{last.text} {mention.text}", end=mention.end,
                                     tagged=last.tagged or mention.tagged, role=last.role or mention.role,
                                     confidence=min(last.confidence, mention.confidence))  # fmt: skip
                continue
        joined.append(mention)
    kept: list[PlaceMention] = []
    for mention in (_with_airport(tokens, _with_region_code(tokens, m)) for m in joined):
        last = kept[-1] if kept else None
        if last is not None and last.start <= mention.start and mention.end <= last.end:
            # the code a city was widened over ("seattle wa", only "wa" tagged): part of it, no place of its own
            if mention.tagged and not last.tagged:
                kept[-1] = replace(last, tagged=True, role=last.role or mention.role, confidence=mention.confidence)
            continue
        kept.append(mention)
    return kept


def _with_airport(tokens: Sequence[str], mention: PlaceMention) -> PlaceMention:
    """ "Chicago Midway", "New York JFK", "London Heathrow airport": one of the city's airports
    named after it is that airport, not a second place (whatever the tagger made of its name)."""
    if mention.airport_code:
        return mention
    for size in (3, 2, 1):
        after = tokens[mention.end : mention.end + size]
        if len(after) == size and not any(t in _PUNCTUATION for t in after) \
                and gazetteer().city_airport(" ".join([mention.text, *after])) is not None:  # fmt: skip
            return replace(mention, text=" ".join([mention.text, *after]), end=mention.end + size)
    return mention


def _with_region_code(tokens: Sequence[str], mention: PlaceMention) -> PlaceMention:
    """ "Seattle, WA", "Portland OR": a state or province code after the city is part of its name."""
    comma = mention.end < len(tokens) and tokens[mention.end] == ","
    at = mention.end + comma
    if mention.airport_code or at >= len(tokens) or not gazetteer().region_code(mention.text, tokens[at]):
        return mention
    last = at + 1 >= len(tokens) or tokens[at + 1] in _PUNCTUATION
    if tokens[at] in _WORD_CODES and not (comma or last):
        return mention  # "london on march 7": on is no Ontario; "portland or seattle": a choice, not Oregon
    return replace(mention, text=f"{mention.text} {tokens[at]}", end=at + 1)


def _same_end_as_before(tokens: Sequence[str], mentions: list[PlaceMention]) -> list[PlaceMention]:
    """A place with no role of its own after "or", "no wait" or "then" has the role of the place
    before it, as if cued: "to boston or new york" names two destinations."""
    result = list(mentions)
    for i in range(1, len(result)):
        before, mention = result[i - 1], result[i]
        gap = set(tokens[before.end : mention.start])
        if mention.role is None and before.role is not None and gap & (INSTEAD | NEXT | {"or"}):
            result[i] = replace(mention, role=before.role, cued=True)
    return result


def _assign_roles(tokens: Sequence[str], mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Each place's role from the words around it; negated places ("not Lima") are left as they
    are and do not take part (their slot is for the place said instead)."""
    kept = [m for m in mentions if not negated(tokens, m.start)]
    return _roles(tokens, kept) + [m for m in mentions if negated(tokens, m.start)]


def _roles(tokens: Sequence[str], mentions: list[PlaceMention]) -> list[PlaceMention]:
    roled = []
    for mention in mentions:
        if mention.airport_code and mention.cued:
            roled.append(mention)
            continue
        cue = place_role(tokens, mention.start, mention.end)
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
    unroled = [m for m in roled if m.role is None]
    if len(unroled) == 2 and len(roled) == 2:  # "ticket boston denver": from the first to the second
        first, second = unroled
        roled = [replace(first, role="origin", cued=True), replace(second, role="destination", cued=True)]
    elif len(unroled) == 1 and len(roled) == 2 and any(m.role == "origin" for m in roled):
        # "denver from boston": the other end; the sentence says so, not the tagger's confidence
        roled = [replace(m, role="destination", cued=True) if m.role is None else m for m in roled]
    elif len(unroled) == 1 and len(roled) == 2 and any(m.role == "destination" for m in roled) \
            and (unroled[0].tagged or tokens[unroled[0].end : unroled[0].end + 1] == ["to"]):  # fmt: skip
        # "taipei to boston": the other end, where the tagger or the "to" after it says it is a place
        # of the trip (not "to denver for a *wedding*", a place name the lists know)
        roled = [replace(m, role="origin", cued=True) if m.role is None else m for m in roled]
    return [replace(m, vouched=vouched(tokens, m.start)) for m in roled]


def _leftover(tokens: Sequence[str], taken: list[tuple[int, int]], places: Sequence[PlaceMention]) -> tuple[str, ...]:
    used = [*taken, *((m.start, m.end) for m in places)]
    return tuple(
        t
        for i, t in enumerate(tokens)
        if not _covered(used, i, i + 1) and t not in lexicon.FILLERS and t not in _ACT_WORDS and t not in _PUNCTUATION
    )


def _moment_role(
    tokens: Sequence[str], tags: Sequence[str], moment: Moment, places: Sequence[PlaceMention]
) -> tuple[MomentRole, bool]:
    """The cue word nearest before the moment, unless a destination stands between ("depart at
    Atlanta and fly to Miami on Jan 4": the date is the arrival's); then an ``arrive_*`` tag.
    Also whether anything said so (False: the moment answers whichever question was asked)."""
    if moment.stay:  # "for a week": how long until the return
        return "returning", True
    if moment.date == "soonest":  # "as soon as possible": the first flight out, today
        return "departure", True
    cue: MomentRole | None = None
    destinations = [m for m in places if m.role == "destination" and m.end <= moment.start]
    for i in range(moment.start - 1, -1, -1):
        if any(m.start <= i < m.end for m in destinations):
            break
        word = tokens[i]
        if word in lexicon.RETURN_CUES:
            cue = "returning"
            break
        if word in lexicon.ARRIVE_CUES or word in lexicon.DEPART_CUES:
            cue = "departure" if word in lexicon.DEPART_CUES else "arrival"
            break
    tagged = [tag[2:] for tag in tags[moment.start : moment.end] if tag != "O"]
    if cue == "returning":  # not the tagger's rare, noisy return_* tags: "on christmas day" is no return
        return "returning", True
    if any(t.startswith("arrive_") for t in tagged):
        return "arrival", True
    return ("departure" if cue == "departure" else "arrival"), cue is not None


def _combined(mentions: list[MomentMention], tokens: Sequence[str]) -> list[MomentMention]:
    """A date and a time (or a part of the day) of the same role said apart are one moment:
    "to Lima on March 3rd, have to be there by 6"."""
    result: list[MomentMention] = []
    for mention in mentions:
        m = mention.moment
        partner = next((r for r in result if r.role == mention.role and r.moment.shift is None and m.shift is None
                        and _complement(r.moment, m)), None)  # fmt: skip
        if partner is None:
            result.append(mention)
            continue
        a, b = partner.moment, m
        time = a.time or b.time
        moment = replace(a, end=max(a.end, b.end), date=a.date or b.date, time=time,
                         qualifier=a.qualifier if a.time else b.qualifier if b.time else a.qualifier or b.qualifier,
                         period=None if time else a.period or b.period)  # fmt: skip
        result[result.index(partner)] = MomentMention(
            moment, partner.role, f"{partner.text} {mention.text}", partner.cued or mention.cued
        )
    return result


def _complement(a: Moment, b: Moment) -> bool:
    dated = (a.date is None) != (b.date is None)
    timed = not ((a.time or a.period) and (b.time or b.period))
    return dated and timed


def _values(parse: Parse, references: list[int], text: str | None, asked: SlotName | None) -> list[Found]:
    tokens = tuple(None if i in references else t for i, t in enumerate(parse.tokens))
    tagged = tuple((span.slot.rpartition(".")[2], span.start, span.end) for span in parse.spans)
    words = Words(tokens, tagged, text if text is not None else " ".join(parse.tokens), asked)
    return [f for f in read_all(words, READERS) if not negated(parse.tokens, f.start)]


def understand(parse: Parse, *, text: str | None = None, asked: SlotName | None = None) -> Understanding:
    """Read one tagged message; pure, and the same for the same parse, text and question.

    ``text`` is the message as typed (a name is cut from it, not from the lower-cased
    tokens); ``asked`` the slot the bot's last question asked for.
    """
    tokens = list(parse.tokens)
    tags = list(parse.tags) or ["O"] * len(tokens)
    references, taken = [], []
    for i, token in enumerate(tokens):
        if _REFERENCE.match(token) and re.search(r"\d", token) and re.search(r"[a-z]", token) \
                and spelled([token]) == [token]:  # fmt: skip ("2morrow" is no booking reference)
            references.append(token.upper())
            taken.append((i, i + 1))
    values = _values(parse, [a for a, _ in taken], text, asked)
    taken += [(f.start, f.end) for f in values]
    unclaimed = [t if not _covered(taken, i, i + 1) else "\0" for i, t in enumerate(tokens)]
    all_moments = find_moments(spelled(unclaimed, keep=gazetteer().is_place))  # "tommorow", "febuary"
    moments = [m for m in all_moments if not negated(tokens, m.start)]
    taken += [(m.start, m.end) for m in all_moments]
    tagged = _tagged_places(parse, taken)
    searchable = [t if not _covered(taken, i, i + 1) else "\0" for i, t in enumerate(tokens)]
    found = [(a, b) for a, b in gazetteer().find(searchable) if not _covered(taken, a, b)]
    verbs = [(m.start, m.end) for m in tagged if _verb(m, found, tokens)]
    found = [(a, b) for a, b in found if (a, b) not in verbs]
    tagged = [m for m in tagged if not _doubtful(m, found, tokens) and (m.start, m.end) not in verbs]
    names = [(m.start, m.end) for m in tagged] + [(a, b) for a, b in found if b - a > 1]  # "san" of San Francisco
    codes = _codes(tokens, taken, names)
    taken += [(m.start, m.end) for m in codes]
    tagged = [m for m in tagged if not _covered([(c.start, c.end) for c in codes], m.start, m.end)]
    found = [(a, b) for a, b in found if not _covered(taken, a, b)]
    # codes take part in the roles: "fly lga to dca" makes lga the origin because dca is the destination
    mentioned = _assign_roles(tokens, sorted([*_merge(tokens, tagged, found), *codes], key=lambda m: m.start))
    mentioned = _same_end_as_before(tokens, mentioned)
    replaced = tuple(m.text for m in mentioned if negated(tokens, m.start))
    places = [m for m in mentioned if not negated(tokens, m.start)]
    leftover = _leftover(tokens, taken, mentioned)
    loose: list[PlaceMention] = []
    sure = [m for m in places if m.tagged or m.cued or m.vouched]  # "i meant rome": on purpose
    if leftover and not sure:
        # An untagged, uncued name counts as a bare answer ("taipei", "taipei please") only alone;
        # among other words a well-known city is kept for the policy to use or ask about.
        loose = [m for m in places if gazetteer().well_known(m.text)]
        places = []
        leftover = _leftover(tokens, taken, loose)
    elif sure:
        loose = [m for m in places if m not in sure and gazetteer().well_known(m.text)]  # "ticket denver reno"
        places = sure
    if len(places) == 1 and not places[0].cued and not leftover:
        places = [replace(places[0], bare=True)]
    mentions = []
    for m in moments:
        role, cued = _moment_role(tokens, tags, m, places)
        mentions.append(MomentMention(m, role, " ".join(tokens[m.start : m.end]), cued))
    moment_mentions = _combined(mentions, tokens)
    return Understanding(
        tokens=tuple(tokens),
        acts=lexicon.acts(tokens),
        places=tuple(places),
        moments=tuple(moment_mentions),
        references=tuple(references),
        leftover=leftover,
        replaced=replaced,
        loose=tuple(loose),
        values=tuple(values),
    )
