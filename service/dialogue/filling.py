"""Filling the booking form's slots from what one message said, each value checked by its validator.

The base of a policy turn (``policy._Turn``): places go through the gazetteer (a choice
when ambiguous, a check when the tagger was unsure, a suggestion for a near miss), dates
and times through ``dates`` in the right time zone and the form's checks (ahead, within a
year, departure not after arrival). A value that fails leaves its slot as it was and says
why; one that passes changes that slot only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from . import messages
from .actions import Action
from .dates import local_now, resolve_date
from .domain import Arrival, City, Departure, Period
from .form import CONFIDENCE_FLOOR, check_arrival, check_departure, form_slot, period_end
from .places import Ambiguous, Place, Region, Resolved, Unknown, gazetteer
from .state import Choice, DialogueState, DidYouMean, Option, PartialTime, PlaceSlot
from .understanding import MomentMention, PlaceMention, Understanding

__all__ = ["SlotFiller", "option"]

Check = Callable[[dt.date, dt.time | None, dt.datetime], str | None]


def option(place: Place) -> Option:
    """A place as offered to the customer and kept in the state."""
    return Option(city=place.city, label=place.label, region=place.region, country=place.country)


class SlotFiller:
    """The working copy of one turn (the state so far, what to say, what to do) and how values fill slots."""

    def __init__(self, state: DialogueState, understood: Understanding, now: dt.datetime) -> None:
        self.state = state.model_copy(update={"turns": state.turns + 1})
        self.u = understood
        self.now = now
        self.notes: list[str] = []
        self.unknown_places: list[str] = []  # one apology names them all (``unknown_place``)
        self.question: str | None = None
        self.actions: list[Action] = []
        self.progress = False
        self.trouble = False
        self.changed: set[str] = set()

    # state helpers ---------------------------------------------------------------------
    def set(self, **changes: object) -> None:
        self.state = self.state.model_copy(update=changes)

    def set_slot(self, name: str, value: object) -> None:
        self.set(slots=self.state.slots.model_copy(update={name: value}))

    def unknown_place(self, words: str) -> None:
        """Apologise once per message, however many places in it are unknown: 'Sorry, I don't
        know places called "a" or "b".', not one 'Sorry' each."""
        if not self.unknown_places:
            self.unknown_places.append(words)
            self.notes.append(self._apology())
            return
        at = self.notes.index(self._apology())
        self.unknown_places.append(words)
        self.notes[at] = self._apology()

    def _apology(self) -> str:
        names = " or ".join(f'"{w}"' for w in self.unknown_places)
        if len(self.unknown_places) == 1:
            return f"Sorry, I don't know a place called {names}."
        return f"Sorry, I don't know places called {names}."

    # values ------------------------------------------------------------------------------
    def fill(self) -> None:
        u = self.u
        for slot, mention in self.assign_places().items():
            self.take_place(slot, mention)
        arrivals = [m for m in u.moments if m.role == "arrival"]
        departures = [m for m in u.moments if m.role == "departure"]
        if arrivals:
            self.take_arrival(arrivals[-1])
        if departures:
            self.take_departure(departures[-1])
        if not u.has_values and u.leftover:
            words = " ".join(u.leftover)
            asked = self.state.requested or next(iter(self.state.missing()), None)
            if asked in ("destination", "origin"):
                self.unknown_place(words)
                guess = gazetteer().resolve(words)
                if isinstance(guess, Unknown) and guess.suggestion is not None:
                    self.set(pending=DidYouMean(slot=asked, option=option(guess.suggestion)))
                    return
            elif asked == "arrival":
                self.notes.append(f'Sorry, I couldn\'t find a date in "{words}".')
            else:
                self.notes.append(f'Sorry, I didn\'t understand "{words}".')
            self.trouble = True

    def assign_places(self) -> dict[PlaceSlot, PlaceMention]:
        """Each mention to its slot: by its cue or tag, else (a bare answer) to the slot asked for."""
        assigned: dict[PlaceSlot, PlaceMention] = {}
        for mention in self.u.places:
            if mention.role is not None and mention.role not in assigned:
                assigned[mention.role] = mention
        bare = [m for m in self.u.places if m.role is None]
        target: PlaceSlot = "origin" if self.state.requested == "origin" else "destination"
        if bare and target not in assigned:
            assigned[target] = bare[0]
        return assigned

    def take_place(self, slot: PlaceSlot, mention: PlaceMention) -> None:
        if mention.airport_code:
            place = gazetteer().airport(mention.text)
            resolution = Resolved(place) if place is not None else Unknown(mention.text)
        else:
            resolve = form_slot(slot).resolve
            assert resolve is not None
            resolution = resolve(mention.text)
        if isinstance(resolution, Resolved):
            if self.unsure(mention):
                self.set(pending=DidYouMean(slot=slot, option=option(resolution.place)))
            else:
                self.place_value(slot, resolution.place.city)
        elif isinstance(resolution, Ambiguous):
            options = tuple(option(p) for p in resolution.options)
            self.set(pending=Choice(slot=slot, name=resolution.name, options=options))
        elif isinstance(resolution, Region):
            way = "to" if slot == "destination" else "from"
            self.question = f"Which city in {resolution.name} do you want to fly {way}?"
        else:
            self.unknown_place(resolution.words)
            if resolution.suggestion is not None:
                self.set(pending=DidYouMean(slot=slot, option=option(resolution.suggestion)))
            else:
                self.trouble = True

    @staticmethod
    def unsure(mention: PlaceMention) -> bool:
        """Whether to check a place the tagger found: its confidence is low, and nothing else vouches for it.

        A cue word ("to Austin") settles it. So does a bare answer to the question asked,
        unless the words also name a region ("Ontario" the city or the province?): a bare
        name's low confidence is the tagger hesitating between "to" and "from", which the
        question already answers.
        """
        if not mention.tagged or mention.cued or mention.confidence >= CONFIDENCE_FLOOR:
            return False
        return not mention.bare or gazetteer().is_region(mention.text)

    def place_value(self, slot: PlaceSlot, city: City) -> None:
        other = self.state.slots.origin if slot == "destination" else self.state.slots.destination
        if other is not None and other.city == city.city and other.airports == city.airports:
            end = "from" if slot == "destination" else "to"
            self.notes.append(f"You're flying {end} {city.city} already, so it can't be your {slot} too.")
            self.trouble = True
            return
        previous = getattr(self.state.slots, slot)
        self.set_slot(slot, city)
        self.progress = True
        self.changed.add(slot)
        moved = previous is None or previous.timezone != city.timezone
        if moved and slot == "destination" and self.state.arrival_said and self.state.slots.arrival:
            self.reread_arrival()
        if moved and slot == "origin" and self.state.departure_said and self.state.slots.departure:
            self.reread_departure()

    def zone(self, slot: PlaceSlot) -> str | None:
        city = getattr(self.state.slots, slot)
        return city.timezone if city is not None else None

    def read_date(
        self, phrase: str, current: dt.date | None, here: dt.datetime, timezone: str | None
    ) -> dt.date | None:
        """A date phrase; a bare day ("actually the 5th") stays in the month already chosen when it can."""
        if phrase.startswith("day ") and current is not None:
            try:
                candidate = current.replace(day=int(phrase.split()[1]))
            except ValueError:
                candidate = None
            if candidate is not None and candidate >= here.date():
                return candidate
        return resolve_date(phrase, self.now, timezone)

    def take_arrival(self, mention: MomentMention) -> None:
        moment, state = mention.moment, self.state
        timezone = self.zone("destination")
        here = local_now(self.now, timezone)
        current = state.slots.arrival
        if moment.date is None:
            if current is None:
                qualifier = None if moment.time is None else moment.qualifier or "at"
                self.set(partial_time=PartialTime(time=moment.time, qualifier=qualifier, period=moment.period))
                self.progress = True
                return
            if moment.time is None:  # a part of the day alone: "actually in the evening"
                update = {"time": None, "qualifier": None, "period": moment.period}
            else:
                qualifier = moment.qualifier or current.qualifier or "at"
                update = {"time": moment.time, "qualifier": qualifier, "period": None}
            self.put_arrival(current.model_copy(update=update), state.arrival_said, here)
            return
        date = self.read_date(moment.date, current.date if current else None, here, timezone)
        if date is None:
            self.notes.append(f'Sorry, I couldn\'t work out the date "{mention.text}".')
            self.trouble = True
            return
        period = moment.period
        if moment.time is not None:
            time, qualifier = moment.time, moment.qualifier or "at"
        elif period is not None:
            time, qualifier = None, None
        elif state.partial_time is not None:
            partial = state.partial_time
            time, qualifier, period = partial.time, partial.qualifier, partial.period
        elif current is not None and (current.time is not None or current.period is not None):
            time, qualifier, period = current.time, moment.qualifier or current.qualifier, current.period
        else:
            time, qualifier = None, moment.qualifier
        phrase = date.isoformat() if moment.date.startswith("day ") and current else moment.date
        self.put_arrival(Arrival(date=date, time=time, qualifier=qualifier, period=period), phrase, here)

    def put_arrival(self, arrival: Arrival, phrase: str | None, here: dt.datetime) -> None:
        if not self.acceptable(arrival.date, arrival.time, here, check_arrival, arrival.period):
            return
        departure = self.state.slots.departure
        if departure is not None and departure.date is not None and arrival.date < departure.date:
            self.notes.append(f"That's before you leave, on {messages.describe_date(departure.date)}.")
            self.trouble = True
            return
        self.set_slot("arrival", arrival)
        self.set(arrival_said=phrase, partial_time=None)
        self.progress = True
        self.changed.add("arrival")

    def take_departure(self, mention: MomentMention) -> None:
        moment, state = mention.moment, self.state
        timezone = self.zone("origin")
        here = local_now(self.now, timezone)
        current = state.slots.departure
        phrase = state.departure_said
        if moment.date is None:
            date = current.date if current else None
        else:
            date = self.read_date(moment.date, current.date if current else None, here, timezone)
            if date is None:
                self.notes.append(f'Sorry, I couldn\'t work out the date "{mention.text}".')
                self.trouble = True
                return
            phrase = date.isoformat() if moment.date.startswith("day ") and current else moment.date
        period = moment.period
        if moment.time is not None:
            time, qualifier = moment.time, moment.qualifier or "at"
        elif period is not None:
            time, qualifier = None, None
        elif current is not None:
            time, qualifier, period = current.time, current.qualifier, current.period
        else:
            time, qualifier = None, None
        departure = Departure(date=date, time=time, qualifier=qualifier, period=period)
        if date is not None and not self.acceptable(date, time, here, check_departure, period):
            return
        arrival = state.slots.arrival
        if date is not None and arrival is not None and date > arrival.date:
            self.notes.append(f"You'd leave after you arrive, on {messages.describe_date(arrival.date)}.")
            self.trouble = True
            return
        self.set_slot("departure", departure)
        self.set(departure_said=phrase)
        self.progress = True
        self.changed.add("departure")

    def acceptable(
        self, date: dt.date, time: dt.time | None, here: dt.datetime, check: Check, period: Period | None = None
    ) -> bool:
        problem = check(date, period_end(time, period), here)
        if problem == "past":
            when = messages.describe_date(date)
            if time is not None and date == here.date():
                when = f"{messages.describe_time(time)} today"
            elif period is not None and date == here.date():
                when = "Tonight" if period == "night" else f"This {period}"
            self.notes.append(f"{when} has already passed.")
        elif problem == "too_far":
            self.notes.append(f"{messages.describe_date(date)} is too far ahead: I can book up to a year ahead.")
        if problem:
            self.trouble = True
        return problem is None

    def reread_arrival(self) -> None:
        """The destination's time zone changed: read the arrival's date phrase again there."""
        arrival, phrase = self.state.slots.arrival, self.state.arrival_said
        assert arrival is not None and phrase is not None
        timezone = self.zone("destination")
        date = resolve_date(phrase, self.now, timezone)
        if date is None or date == arrival.date:
            return
        if check_arrival(date, period_end(arrival.time, arrival.period), local_now(self.now, timezone)) is None:
            self.set_slot("arrival", arrival.model_copy(update={"date": date}))

    def reread_departure(self) -> None:
        departure, phrase = self.state.slots.departure, self.state.departure_said
        assert departure is not None and phrase is not None
        timezone = self.zone("origin")
        date = resolve_date(phrase, self.now, timezone)
        here = local_now(self.now, timezone)
        moment = period_end(departure.time, departure.period)
        if date is not None and date != departure.date and check_departure(date, moment, here) is None:
            self.set_slot("departure", departure.model_copy(update={"date": date}))
