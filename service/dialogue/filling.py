"""Filling the booking form's slots from what one message said, each value checked by its form row.

Places go through their row's resolver (a choice when ambiguous, a check when the tagger
was unsure, a suggestion for a near miss); moments (the arrival, the departure, the return)
are read one way for all, driven by their row: the time zone of the place they are local to,
the check they must pass, the phrase kept to read them again; the other values (trip type,
travellers, cabin, airline, nonstop, the traveller's name) pass their row's check. A value
that fails leaves its slot as it was and says why; one that passes changes that slot (and
what its row implies) only, and drops the values that no longer apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from . import messages
from .dates import (
    Moment,
    calendar_phrase,
    day_within,
    is_partial,
    just_passed,
    local_now,
    partial_start,
    resolve_date,
    zone,
)
from .direction import CORRECTION_WORDS, INSTEAD, NEXT
from .domain import Arrival, City, Period, PlaceSlot, Travellers
from .form import CONFIDENCE_FLOOR, FORM, MOMENT_SLOTS, FormSlot, MomentValue, Problem, form_slot, period_end
from .places import Ambiguous, Place, Region, Resolution, Resolved, Unknown, gazetteer
from .preferences import Count, Found, Uncounted
from .state import Choice, Counting, DidYouMean, Option, PartialDate, PartialTime
from .turn import Turn
from .understanding import MomentMention, PlaceMention

__all__ = ["fill", "option", "place_value"]


def option(place: Place) -> Option:
    """A place as offered to the customer and kept in the state."""
    return Option(city=place.city, label=place.label, region=place.region, country=place.country)


def fill(turn: Turn) -> None:
    """Every value the message said, each into its own slot; then what was left unexplained."""
    u = turn.understood
    for found in _last_of_each(u.values):
        _take_said(turn, form_slot(found.slot), found.value)
    for slot, mention in _assign_places(turn).items():
        _take_place(turn, slot, mention)
    if u.loose:
        _loose_place(turn, u.loose[0])
    for spec in MOMENT_SLOTS:
        said = [m for m in u.moments if _moment_slot(turn, m) == spec.name and m.moment.shift is None]
        days = _two_days(turn, spec, said) if len(said) >= 2 else None
        if days is not None:  # "the 12th or 13th": which is not ours to pick
            turn.problem(messages.two_days(spec.name, *days))
        elif said:
            _take_moment(turn, spec, said[-1])
            if said[-1].moment.until is not None and spec.name != "returning":
                _take_span_end(turn, said[-1])
    for spec in MOMENT_SLOTS:  # after every moment said: "leaving at 9 pm, arriving the next morning"
        shifts = [m for m in u.moments if _moment_slot(turn, m) == spec.name and m.moment.shift is not None]
        if shifts:
            _shift_moment(turn, spec, shifts[-1])
    _arrival_on_the_day_out(turn)
    _drop_what_no_longer_applies(turn)
    if not u.has_values and not u.loose and u.leftover:
        _unexplained(turn, " ".join(u.leftover))


_EITHER = frozenset({"or", ",", "maybe", "possibly", "perhaps"})


def _two_days(turn: Turn, spec: FormSlot, said: list[MomentMention]) -> tuple[dt.date, dt.date, bool] | None:
    """Two dates offered for one moment ("on the 12th or 13th", "between the 12th and the 15th"):
    (the first, the second, whether a range); None when the second just replaces the first
    ("the 12th, sorry, the 13th")."""
    first, second = said[-2].moment, said[-1].moment
    if first.date is None or second.date is None or is_partial(first.date) or is_partial(second.date):
        return None
    tokens = turn.understood.tokens
    gap = [t for t in tokens[first.end : second.start] if t not in {"the", "on"}]
    between = "between" in tokens[max(0, first.start - 2) : first.start + 1] and gap == ["and"]
    if not between and not (gap and "or" in gap and set(gap) <= _EITHER):
        return None
    current: MomentValue | None = getattr(turn.state.slots, spec.name)
    timezone = _zone(turn, spec)
    dates = [_read_date(turn, spec, m.date, current, timezone) for m in (first, second)]  # type: ignore[arg-type]
    if dates[0] is None or dates[1] is None or dates[0] == dates[1]:
        return None
    return dates[0], dates[1], between


def _take_span_end(turn: Turn, mention: MomentMention) -> None:
    """ "dec 5 to dec 12": the trip's last day is its return (a round trip), read after the way out."""
    m = mention.moment
    back = replace(m, date=m.until, until=None, time=None, qualifier=None, period=None)
    _take_moment(turn, form_slot("returning"), MomentMention(back, "returning", mention.text, cued=True))


def _moment_slot(turn: Turn, mention: MomentMention) -> str:
    """A moment nothing marks ("the 20th") answers the moment question asked; else it is the arrival's."""
    asked = turn.state.requested
    if not mention.cued and asked is not None and asked != "arrival" and form_slot(asked).kind == "moment":
        return asked
    return mention.role


def _last_of_each(values: tuple[Found, ...]) -> list[Found]:
    """What each slot was last said to be: "economy, no, business" is business."""
    last = {found.slot: found for found in values}
    return sorted(last.values(), key=lambda f: f.start)


def _take_said(turn: Turn, spec: FormSlot, value: object) -> None:
    held = getattr(turn.state.slots, spec.name)
    if isinstance(value, Uncounted):  # "me and my friends": how many is asked before anything is booked
        turn.set(counting=Counting(adults=value.adults, children=value.children, asking=value.asking))
        turn.progress = True
        return
    if isinstance(value, Count):
        value = _counted(turn.state.counting, value.number)
    if value is not None and spec.combine is not None:
        value = spec.combine(held, value)
    if value is not None and spec.check is not None:
        problem = spec.check(value, turn.state.slots, turn.now)
        if problem is not None:
            turn.problem(_words(problem, None, turn.now.date()))
            return
    turn.take(spec.name, value)
    if spec.name == "travellers" and turn.state.counting is not None:
        turn.set(counting=None)
    _implied(turn, spec)


def _counted(counting: Counting | None, number: int) -> Travellers:
    """A number alone, as the question asked it: everyone ("How many people ...?", the form's
    question too) or the children ("How many children ...?"), with the others already counted."""
    if counting is None:
        return Travellers(adults=number)
    if counting.asking == "children":
        return Travellers(adults=counting.adults, children=number)
    return Travellers(adults=number - counting.children, children=counting.children)


def _implied(turn: Turn, spec: FormSlot) -> None:
    for name, value in spec.implies:
        if getattr(turn.state.slots, name) != value:
            turn.take(name, value)


def _drop_what_no_longer_applies(turn: Turn) -> None:
    """ "make it one-way": the return goes, with the words it was read from."""
    for spec in FORM:
        if spec.applies is not None and getattr(turn.state.slots, spec.name) is not None \
                and not spec.applies(turn.state.slots):  # fmt: skip
            turn.set_slot(spec.name, None)
            if spec.said is not None:
                turn.set(**{spec.said: None})
    partial = turn.state.partial_time
    applies = form_slot(partial.slot).applies if partial is not None else None
    if applies is not None and not applies(turn.state.slots):
        turn.set(partial_time=None)
    undayed = turn.state.partial_date
    applies = form_slot(undayed.slot).applies if undayed is not None else None
    if applies is not None and not applies(turn.state.slots):
        turn.set(partial_date=None)


def _loose_place(turn: Turn, mention: PlaceMention) -> None:
    """A well-known city said among other words: used for the place the bot is asking for when
    the message also says when ("one more please: Austin on Feb 6th"), else asked about; never
    passed over in silence."""
    said = {m.role for m in turn.understood.places}
    if said >= {"destination", "origin"}:
        return
    asked = turn.state.requested if turn.state.requested in ("destination", "origin") else None
    slot: PlaceSlot = asked or ("destination" if turn.state.slots.destination is None else "origin")
    if slot in said:
        slot = "origin" if slot == "destination" else "destination"
    if (asked is not None or said) and turn.understood.moments:
        _take_place(turn, slot, mention)
        return
    resolution = gazetteer().resolve(mention.text)
    if isinstance(resolution, Resolved) and getattr(turn.state.slots, slot) != resolution.place.city:
        turn.set(pending=DidYouMean(slot=slot, option=option(resolution.place)))


def _unexplained(turn: Turn, words: str) -> None:
    """Words that filled nothing: named back, as the question asked would read them."""
    asked = turn.state.requested or next(iter(turn.state.missing()), None)
    kind = form_slot(asked).kind if asked is not None else None
    if kind == "place":
        unknown_place(turn, words)
        guess = gazetteer().resolve(words)
        if isinstance(guess, Unknown) and guess.suggestion is not None:
            turn.set(pending=DidYouMean(slot=asked, option=option(guess.suggestion)))  # type: ignore[arg-type]
            return
    elif kind == "moment":
        turn.notes.append(messages.no_date_in(words))
    else:
        turn.notes.append(messages.not_understood(words))
    turn.trouble = True


def unknown_place(turn: Turn, words: str) -> None:
    """Apologise once per message, however many places in it are unknown: the first apology
    is reworded in its place to name them all."""
    if not turn.unknown_places:
        turn.unknown_places.append(words)
        turn.notes.append(messages.unknown_places(turn.unknown_places))
        return
    at = turn.notes.index(messages.unknown_places(turn.unknown_places))
    turn.unknown_places.append(words)
    turn.notes[at] = messages.unknown_places(turn.unknown_places)


# --- places -----------------------------------------------------------------------------------


def _assign_places(turn: Turn) -> dict[PlaceSlot, PlaceMention]:
    """Each mention to its slot: by its cue or tag, else (a bare answer) to the slot asked for.

    Of two for one end, a place the lists know beats words they do not: in "the marathon in
    Boston" the tagger makes both destinations, and the customer means Boston.
    """
    places = turn.understood.places
    asked = turn.state.requested
    if asked in ("origin", "destination") and len(places) == 1 and _against_the_question(turn, places[0], asked):
        places = (replace(places[0], role=None),)  # "my home town, denver" to "Where are you flying from?"
    assigned: dict[PlaceSlot, PlaceMention] = {}
    offered: set[PlaceSlot] = set()  # "boston or new york": the customer's to choose, so neither is taken
    for mention in places:
        if mention.role is None or mention.role in offered:
            continue
        held = assigned.get(mention.role)
        second = _second_place(turn, held, mention) if held is not None else None
        if second == "instead":  # "to boston, no wait, to new york"
            assigned[mention.role] = mention
        elif second == "either":  # asked as a choice between the two: "Which one do you mean: ...?"
            both = [gazetteer().resolve(m.text) for m in (held, mention)]  # type: ignore[union-attr]
            places_offered = tuple(option(r.place) for r in both if isinstance(r, Resolved))
            if len(places_offered) == 2:
                turn.set(pending=Choice(slot=mention.role, name="one", options=places_offered))
                del assigned[mention.role]
                offered.add(mention.role)
        elif second == "next":  # "to boston, then on to new york": one flight at a time
            turn.notes.append(messages.one_flight_at_a_time(held.text, mention.text))  # type: ignore[union-attr]
        elif held is None or (not _known(held) and _known(mention)):
            assigned[mention.role] = mention
    bare = [m for m in places if m.role is None]
    target: PlaceSlot = "origin" if turn.state.requested == "origin" else "destination"
    origin = turn.state.slots.origin
    if origin is not None and any(_names(origin.city, text) for text in turn.understood.replaced):
        target = "origin"  # "I meant Fresno, not Phoenix": the slot Phoenix was in
    if bare and target not in assigned:
        assigned[target] = bare[0]
    return assigned


def _second_place(turn: Turn, first: PlaceMention, second: PlaceMention) -> str | None:
    """What a second known place for the same end says, by the words between: "instead" (a
    change of mind: "no wait", "sorry", "I mean"), "either" ("or": a choice not ours), "next"
    (a second flight: "then", "and then on to"); None: no such word (the first known wins)."""
    if not (_known(first) and _known(second)) or gazetteer().resolve(first.text) == gazetteer().resolve(second.text):
        return None
    gap = set(turn.understood.tokens[first.end : second.start])
    if gap & INSTEAD:
        return "instead"
    if "or" in gap:
        return "either"
    if gap & NEXT:
        return "next"
    return None


def _against_the_question(turn: Turn, mention: PlaceMention, asked: PlaceSlot) -> bool:
    """Whether only the tagger sends the answer to the other end, which is already filled: no
    cue word says so and no correction word ("actually", "I meant") either. The question asked
    says more than the tagger's guess then; an answer with its cue ("to Denver") still moves
    the other end."""
    other = getattr(turn.state.slots, mention.role) if mention.role in ("origin", "destination") else None
    return (
        mention.role not in (None, asked)
        and not mention.cued
        and other is not None
        and not any(t in CORRECTION_WORDS for t in turn.understood.tokens)
    )


def _known(mention: PlaceMention) -> bool:
    return mention.airport_code or gazetteer().is_place(mention.text)


def _take_place(turn: Turn, slot: PlaceSlot, mention: PlaceMention) -> None:
    resolve = form_slot(slot).resolve
    assert resolve is not None
    in_region = False
    if mention.airport_code:
        place = gazetteer().airport(mention.text)
        # no such code: a name the tagger took for one ("to sf", "my origin is reno")
        resolution = Resolved(place) if place is not None else resolve(mention.text)
    else:
        # a city found in the region asked about needs no check ("San Juan", in Puerto Rico)
        resolution, in_region = _within(resolve, mention.text, turn.state.regions.get(slot))
        code = gazetteer().airport(mention.text) if len(mention.text) == 3 else None
        if isinstance(resolution, Unknown) and code is not None:  # "land at cdg": a code the tagger took for a city
            resolution = Resolved(code)
    if isinstance(resolution, Resolved):
        # the place asked for, said with when: "one more please: Austin on Feb 6th" needs no check
        answering = mention.role is None and turn.state.requested == slot and bool(turn.understood.moments)
        if _unsure(mention) and not (answering or in_region):
            turn.set(pending=DidYouMean(slot=slot, option=option(resolution.place)))
        else:
            place_value(turn, slot, resolution.place.city)
    elif isinstance(resolution, Ambiguous):
        options = tuple(option(p) for p in resolution.options)
        turn.set(pending=Choice(slot=slot, name=resolution.name, options=options))
    elif isinstance(resolution, Region):  # asked about when the turn ends (policy), both ends if both are
        turn.set(regions={**turn.state.regions, slot: resolution.name})
        turn.progress = True
    else:
        unknown_place(turn, resolution.words)
        if resolution.suggestion is not None:
            turn.set(pending=DidYouMean(slot=slot, option=option(resolution.suggestion)))
        else:
            turn.trouble = True


def _within(resolve: Callable[[str], Resolution], text: str, region: str | None) -> tuple[Resolution, bool]:
    """A city said for the region asked about is looked for there first: "Portland", to "Which
    city in Maine?", is Portland, Maine; a name with no city there is read as said (the
    customer may have changed their mind). True: found in the region."""
    if region is not None:
        narrowed = resolve(f"{text}, {region}")
        if isinstance(narrowed, Resolved):
            return narrowed, True
    return resolve(text), False


def _names(city: str, text: str) -> bool:
    resolution = gazetteer().resolve(text)
    return isinstance(resolution, Resolved) and resolution.place.name == city


def _unsure(mention: PlaceMention) -> bool:
    """Whether to check a place the tagger found: its confidence is low, and nothing else vouches for it.

    A cue word ("to Austin") settles it, and so does a correction ("i meant milan"). So does
    a bare answer to the question asked, unless the words also name a region elsewhere
    ("Ontario" the city in California or the province?): a bare name's low confidence is the
    tagger hesitating between "to" and "from", which the question already answers.
    """
    if not mention.tagged or mention.cued or mention.vouched or mention.confidence >= CONFIDENCE_FLOOR:
        return False
    return not mention.bare or gazetteer().region_elsewhere(mention.text)


def place_value(turn: Turn, slot: PlaceSlot, city: City) -> None:
    """Put a city in its slot; the moments local to it are read again if its time zone changed."""
    other = turn.state.slots.origin if slot == "destination" else turn.state.slots.destination
    if other is not None and other.city == city.city and other.airports == city.airports:
        turn.problem(messages.already_there(city.city, slot=slot))
        return
    previous = getattr(turn.state.slots, slot)
    turn.take(slot, city)
    if slot in turn.state.regions:  # its city came: the region's question is answered
        turn.set(regions={k: v for k, v in turn.state.regions.items() if k != slot})
    if previous is None or previous.timezone != city.timezone:
        for spec in MOMENT_SLOTS:
            if spec.zone_of == slot:
                _reread(turn, spec)


def _zone(turn: Turn, spec: FormSlot) -> str | None:
    assert spec.zone_of is not None
    city = getattr(turn.state.slots, spec.zone_of)
    return city.timezone if city is not None else None


# --- moments: the arrival and the departure ---------------------------------------------------


def _counting_from(turn: Turn, spec: FormSlot, timezone: str | None, phrase: str) -> dt.datetime:
    """The moment a date phrase counts from: now, or, for a day of the calendar or week, the start
    of the day of the moment the row counts from when that is later (the arrival, for the return):
    "back on sunday" is the Sunday after the arrival, "back tomorrow" still tomorrow."""
    start = spec.start(turn.state.slots) if calendar_phrase(phrase) else None
    if start is None or start <= local_now(turn.now, timezone).date():
        return turn.now
    return dt.datetime.combine(start, dt.time(), tzinfo=zone(timezone)).astimezone(dt.UTC)


def _read_date(
    turn: Turn, spec: FormSlot, phrase: str, current: MomentValue | None, timezone: str | None
) -> dt.date | None:
    """A date phrase; a bare day ("actually the 5th") stays in the month already chosen when it can."""
    if phrase.startswith("day ") and current is not None and current.date is not None:
        try:
            candidate = current.date.replace(day=int(phrase.split()[1]))
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= local_now(turn.now, timezone).date():
            return candidate
    return resolve_date(phrase, _counting_from(turn, spec, timezone, phrase), timezone)


def _take_moment(turn: Turn, spec: FormSlot, mention: MomentMention) -> None:
    """A date and/or time of day into its slot, completing what the slot held.

    A time alone changes the time and keeps the date ("make it 9 am"); a date alone keeps
    the time or part of the day already chosen ("actually the 5th"); a moment that needs a
    date (the arrival) keeps a time said first until its date comes.
    """
    moment, state = mention.moment, turn.state
    assert spec.value is not None and spec.said is not None
    timezone = _zone(turn, spec)
    current: MomentValue | None = getattr(state.slots, spec.name)
    phrase: str | None = getattr(state, spec.said)
    if moment.date is None:
        if current is None and spec.needs_date:
            qualifier = None if moment.time is None else moment.qualifier or "at"
            partial = PartialTime(slot=spec.name, time=moment.time, qualifier=qualifier, period=moment.period)
            turn.set(partial_time=partial)
            turn.progress = True
            return
        date = current.date if current is not None else None
        if moment.time is None:  # a part of the day alone: "actually in the evening"
            time, qualifier, period = None, None, moment.period
        else:
            held = current.qualifier if current is not None else None
            time, qualifier, period = moment.time, moment.qualifier or held or "at", None
    elif is_partial(moment.date):
        _take_partial(turn, spec, moment, timezone)
        return
    else:
        undayed = state.partial_date
        undayed = undayed if undayed is not None and undayed.slot == spec.name else None
        within = day_within(moment.date, undayed.unit, undayed.start) if undayed is not None else None
        slipped = just_passed(moment.date, local_now(turn.now, timezone).date())
        if within is None and slipped is not None and spec.start(turn.state.slots) is None:
            turn.problem(messages.just_passed(slipped))  # "nov 20" said on the 26th: not next year's, unasked
            return
        date = within or _read_date(turn, spec, moment.date, current, timezone)
        if date is None:
            turn.problem(messages.date_unreadable(mention.text))
            return
        period = moment.period
        partial = state.partial_time if spec.needs_date else None
        if partial is not None and partial.slot != spec.name:
            partial = None
        if moment.time is not None:
            time, qualifier = moment.time, moment.qualifier or "at"
        elif period is not None:
            time, qualifier = None, None
        elif partial is not None:
            time, qualifier, period = partial.time, partial.qualifier, partial.period
        elif current is not None and (current.time is not None or current.period is not None):
            time, qualifier, period = current.time, moment.qualifier or current.qualifier, current.period
        else:
            time, qualifier = None, moment.qualifier
        phrase = date.isoformat() if moment.date.startswith("day ") and current is not None else moment.date
        phrase = date.isoformat() if within is not None else phrase
    value = spec.value(date=date, time=time, qualifier=qualifier, period=period)
    if not _acceptable(turn, spec, value, timezone):
        return
    turn.take(spec.name, value)
    held = state.partial_time is not None and state.partial_time.slot == spec.name
    undayed_held = state.partial_date is not None and state.partial_date.slot == spec.name
    turn.set(**{spec.said: phrase}, **({"partial_time": None} if held else {}),
             **({"partial_date": None} if undayed_held else {}))  # fmt: skip
    _implied(turn, spec)


_UNDAYED_WORDS = {"week this": "this week", "week next": "next week", "week after-next": "the week after next",
                  "weekend this": "this weekend", "weekend after-next": "the weekend after next",
                  "month this": "this month", "month next": "next month"}  # fmt: skip


def _named_span(phrase: str) -> str | None:
    """ "weekend-of holiday Memorial Day" -> "of the weekend of Memorial Day", for "Which day ...?"."""
    kind, _, day = phrase.partition(" ")
    if kind not in ("weekend-of", "week-of"):
        return None
    name = day.removeprefix("holiday ") if day.startswith("holiday ") else day.title()
    return f"of {'the week' if kind == 'week-of' else 'the weekend'} of {name}"


def _take_partial(turn: Turn, spec: FormSlot, moment: Moment, timezone: str | None) -> None:
    """ "next week", "in january": kept, and the day asked, not guessed (a week from today or
    the 1st is rarely the day meant); a time said with it waits for that day too."""
    assert moment.date is not None
    unit, start = partial_start(moment.date, local_now(turn.now, timezone).date())
    said = _UNDAYED_WORDS.get(moment.date) or _named_span(moment.date) or f"in {start:%B}"
    turn.set(partial_date=PartialDate(slot=spec.name, unit=unit, start=start, said=said))
    if spec.needs_date and (moment.time is not None or moment.period is not None):
        qualifier = None if moment.time is None else moment.qualifier or "at"
        turn.set(partial_time=PartialTime(slot=spec.name, time=moment.time, qualifier=qualifier,
                                          period=moment.period))  # fmt: skip
    turn.progress = True


def _acceptable(turn: Turn, spec: FormSlot, value: MomentValue, timezone: str | None) -> bool:
    assert spec.check is not None
    here = local_now(turn.now, timezone)
    problem = spec.check(value, turn.state.slots, here)
    if problem is not None:
        turn.problem(_words(problem, value, here.date()))
    return problem is None


def _words(problem: Problem, value: MomentValue | None, today: dt.date) -> str:
    if problem.kind in ("too_many_travellers", "no_adult", "bad_name"):
        return messages.PROBLEMS[problem.kind]
    assert value is not None and value.date is not None
    if problem.kind == "past":
        return messages.passed(value.date, value.time, value.period, today)
    if problem.kind == "too_far":
        return messages.too_far_ahead(value.date)
    assert problem.other is not None
    return messages.contradiction(problem.kind, problem.other)


def _reread(turn: Turn, spec: FormSlot) -> None:
    """The place's time zone changed: read the moment's date phrase again there (silently,
    and only if the new reading passes the checks)."""
    assert spec.said is not None and spec.check is not None
    current: MomentValue | None = getattr(turn.state.slots, spec.name)
    phrase: str | None = getattr(turn.state, spec.said)
    if current is None or phrase is None:
        return
    timezone = _zone(turn, spec)
    date = resolve_date(phrase, _counting_from(turn, spec, timezone, phrase), timezone)
    if date is None or date == current.date:
        return
    moved = current.model_copy(update={"date": date})
    if spec.check(moved, turn.state.slots, local_now(turn.now, timezone)) is None:
        turn.set_slot(spec.name, moved)


def _arrival_on_the_day_out(turn: Turn) -> None:
    """ "leaving friday at 6 pm and arriving by 10 pm": an arrival time said without a date, once
    the departure has one, is on the departure's day (the next day when it is not later)."""
    waiting, departure = turn.state.partial_time, turn.state.slots.departure
    if waiting is None or waiting.slot != "arrival" or departure is None or departure.date is None:
        return
    spec = form_slot("arrival")
    date, out = departure.date, period_end(departure.time, departure.period)
    if waiting.time is not None and out is not None and waiting.time <= out:
        date += dt.timedelta(days=1)  # "leaving at 11 pm, arriving at 7 am"
    value = Arrival(date=date, time=waiting.time, qualifier=waiting.qualifier, period=waiting.period)
    if not _acceptable(turn, spec, value, _zone(turn, spec)):
        return
    turn.take("arrival", value)
    turn.set(arrival_said=date.isoformat(), partial_time=None)


def _take_counted(turn: Turn, spec: FormSlot, date: dt.date, period: Period | None = None) -> None:
    value = spec.value(date=date, time=None, qualifier=None, period=period)
    if not _acceptable(turn, spec, value, _zone(turn, spec)):
        return
    turn.take(spec.name, value)
    turn.set(**{spec.said: date.isoformat()})  # type: ignore[arg-type]
    _implied(turn, spec)


def _shift_moment(turn: Turn, spec: FormSlot, mention: MomentMention) -> None:
    """ "a day earlier", "an hour later": the moment already chosen, moved."""
    shift = mention.moment.shift
    assert shift is not None and spec.said is not None
    current: MomentValue | None = getattr(turn.state.slots, spec.name)
    if mention.moment.stay:  # "for a week": from the arrival, whatever return was chosen before
        start = spec.start(turn.state.slots)
        if start is not None:
            _take_counted(turn, spec, start + shift)
        else:  # no arrival yet to count from: the trip is a round one, and its return is asked
            _implied(turn, spec)
        return
    if current is None or current.date is None:
        start = spec.start(turn.state.slots)
        if start is not None and shift >= dt.timedelta(0) and not shift % dt.timedelta(days=1):
            # "back two weeks later", "arriving the next morning", "back the same day": nothing to
            # move, so the days count from the moment before it (the arrival; the departure)
            _take_counted(turn, spec, start + shift, mention.moment.period)
            return
        turn.problem(messages.nothing_to_move(spec.name))
        return
    if shift % dt.timedelta(days=1):  # hours or minutes: the time moves, and the date with it past midnight
        if current.time is None:
            turn.problem(messages.no_time_to_move(spec.name))
            return
        moved_at = dt.datetime.combine(current.date, current.time) + shift
        value = current.model_copy(update={"date": moved_at.date(), "time": moved_at.time()})
    else:
        value = current.model_copy(update={"date": current.date + shift})
    if not _acceptable(turn, spec, value, _zone(turn, spec)):
        return
    turn.take(spec.name, value)
    assert value.date is not None
    turn.set(**{spec.said: value.date.isoformat()})
    _implied(turn, spec)
