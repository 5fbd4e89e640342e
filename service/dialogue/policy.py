"""The dialogue policy: ``next_turn(state, parse, now) -> (new_state, actions)``, with no I/O.

One turn, in order of precedence: a booking reference ("cancel K7QX4MPA"), "start
over", "cancel", a new request after a booking, the answer to a pending check ("Did you
mean ...?", "Which Portland?"), "yes"/"no" to the summary, and otherwise the values
said, each applied to its own slot only (so "actually the 5th" changes the date and
nothing else). Then the bot asks for the first missing required slot, or summarises and
asks for confirmation. The form (``form.FORM``) holds the questions and validators.
"""

from __future__ import annotations

import datetime as dt

from model import Parse

from . import messages
from .actions import Action, Book, CancelBooking, Say
from .dates import local_now, resolve_date
from .domain import Arrival, City, Departure
from .form import CONFIDENCE_FLOOR, REASKS_BEFORE_EXAMPLE, check_arrival, check_departure, form_slot
from .places import Ambiguous, Place, Region, Resolved, Unknown, gazetteer
from .state import Choice, DialogueState, DidYouMean, Option, PartialTime, PlaceSlot
from .understanding import MomentMention, PlaceMention, Understanding, understand

__all__ = ["next_turn", "opening"]

_ORDINALS = {"first": 0, "1st": 0, "1": 0, "former": 0, "second": 1, "2nd": 1, "2": 1, "third": 2, "3rd": 2,
             "3": 2, "fourth": 3, "4th": 3, "4": 3, "last": -1, "latter": -1}
_CHANGE_HINT = 'for example "to Denver", "actually the 5th" or "make it 9 am"'


def opening() -> tuple[DialogueState, list[Action]]:
    """A new conversation's state and greeting."""
    return DialogueState(), [Say(messages.GREETING)]


def next_turn(state: DialogueState, parse: Parse, now: dt.datetime) -> tuple[DialogueState, list[Action]]:
    """The bot's answer to one customer message; ``now`` is the conversation's clock (aware, UTC)."""
    turn = _Turn(state, understand(parse), now)
    turn.run()
    return turn.state, turn.actions


def _option(place: Place) -> Option:
    return Option(city=place.city, label=place.label, region=place.region, country=place.country)


def _either(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


class _Turn:
    """The working copy of one turn: the state so far, what to say, what to do."""

    def __init__(self, state: DialogueState, understood: Understanding, now: dt.datetime) -> None:
        self.state = state.model_copy(update={"turns": state.turns + 1})
        self.u = understood
        self.now = now
        self.notes: list[str] = []
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

    def reset(self, status: str) -> None:
        """An empty form, keeping what outlives it: the turn count and the bookings made."""
        self.state = DialogueState(
            status=status,  # type: ignore[arg-type]
            turns=self.state.turns,
            bookings=self.state.bookings,
            requested="destination" if status == "collecting" else None,
        )

    def fail(self, key: str) -> int:
        count = self.state.failures.get(key, 0) + 1
        self.set(failures={**self.state.failures, key: count})
        return count

    # the turn --------------------------------------------------------------------------
    def run(self) -> None:
        u = self.u
        if not u.tokens:
            self.notes.append("Sorry, I didn't get that.")
        elif u.references and ("cancel" in u.acts or not u.has_values):
            self.on_reference()
        elif "restart" in u.acts:
            self.reset("collecting")
            self.notes.append("Sure, let's start over.")
        elif "cancel" in u.acts:
            self.on_cancel()
        elif self.state.status in ("booked", "cancelled") and not u.has_values:
            self.after_done()
        else:
            if self.state.status in ("booked", "cancelled"):
                self.reset("collecting")
            if self.state.pending is not None and self.on_pending():
                return self.finish()
            if self.state.status == "confirming" and not u.has_values:
                if self.on_confirming():
                    return None
            else:
                self.small_talk()
                self.fill()
        return self.finish()

    def small_talk(self) -> None:
        if self.u.has_values:
            return
        if "help" in self.u.acts:
            self.notes.append(messages.HELP)
        elif "greet" in self.u.acts:
            self.notes.append("Hello!")
        elif "thanks" in self.u.acts:
            self.notes.append("You're welcome!")

    def on_reference(self) -> None:
        reference = self.u.references[0]
        if reference not in self.state.bookings:
            self.notes.append(messages.not_cancellable(reference))
        elif "cancel" in self.u.acts:
            self.actions.append(CancelBooking(reference))
            if self.state.status == "booked" and reference == self.state.bookings[-1]:
                self.set(status="cancelled")
        else:
            self.notes.append(f'To cancel booking {reference}, say "cancel {reference}".')

    def on_cancel(self) -> None:
        status = self.state.status
        if status == "booked" and self.state.bookings:
            reference = self.state.bookings[-1]
            self.notes.append(f'Your booking {reference} stays confirmed; to cancel it, say "cancel {reference}".')
        elif status == "cancelled":
            self.notes.append("There is nothing to cancel.")
        else:
            self.reset("cancelled")
            self.notes.append("OK, I've cancelled this request; nothing was booked.")

    def after_done(self) -> None:
        self.small_talk()

    def on_pending(self) -> bool:
        """Handle the answer to "Did you mean ...?" or "Which ...?"; False: it was not one."""
        pending, u = self.state.pending, self.u
        if isinstance(pending, DidYouMean):
            if "yes" in u.acts and not u.has_values:
                self.set(pending=None)
                self.place_value(pending.slot, pending.option.city)
                return True
            self.set(pending=None)
            if "no" in u.acts and not u.has_values:
                self.notes.append("Sorry about that.")
                self.question = form_slot(pending.slot).question
                return True
            return False
        assert isinstance(pending, Choice)
        chosen = self.pick(pending)
        if chosen is not None:
            self.set(pending=None)
            self.place_value(pending.slot, chosen.city)
            return True
        if u.has_values:
            self.set(pending=None)
            return False
        if "no" in u.acts:
            self.set(pending=None)
            self.notes.append("OK.")
            self.question = form_slot(pending.slot).question
            return True
        if self.fail("choice") > REASKS_BEFORE_EXAMPLE:
            first = pending.options[0].label
            self.notes.append(f'Please tell me which one, for example "{first}" or "the first one".')
        else:
            self.notes.append("Sorry, which one?")
        return True

    def pick(self, choice: Choice) -> Option | None:
        said = " ".join(self.u.tokens)
        matching = [o for o in choice.options if gazetteer().matches(o, said)]
        if len(matching) == 1:
            return matching[0]
        positions = {_ORDINALS[t] for t in self.u.tokens if t in _ORDINALS}
        if len(positions) == 1:
            position = positions.pop()
            if position < len(choice.options):
                return choice.options[position]
        return None

    def on_confirming(self) -> bool:
        """"yes" books (True: nothing more to say), "no" asks what to change."""
        u = self.u
        if "yes" in u.acts:
            self.actions.append(Book(self.state.slots))
            self.set(status="booked", requested=None, failures={}, pending=None, partial_time=None)
            return True
        if "no" in u.acts:
            self.question = f"No problem. What would you like to change? Tell me the new value, {_CHANGE_HINT}."
        elif u.acts & {"greet", "thanks", "help"}:
            self.small_talk()
        else:
            if u.leftover:
                self.notes.append(f'Sorry, I didn\'t understand "{" ".join(u.leftover)}".')
            if self.fail("confirm") > REASKS_BEFORE_EXAMPLE:
                self.notes.append(f'Please say "yes" to book it, or tell me what to change, {_CHANGE_HINT}.')
        return False

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
                self.notes.append(f'Sorry, I don\'t know a place called "{words}".')
                guess = gazetteer().resolve(words)
                if isinstance(guess, Unknown) and guess.suggestion is not None:
                    self.set(pending=DidYouMean(slot=asked, option=_option(guess.suggestion)))
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
                self.set(pending=DidYouMean(slot=slot, option=_option(resolution.place)))
            else:
                self.place_value(slot, resolution.place.city)
        elif isinstance(resolution, Ambiguous):
            options = tuple(_option(p) for p in resolution.options)
            self.set(pending=Choice(slot=slot, name=resolution.name, options=options))
        elif isinstance(resolution, Region):
            way = "to" if slot == "destination" else "from"
            self.question = f"Which city in {resolution.name} do you want to fly {way}?"
        else:
            self.notes.append(f'Sorry, I don\'t know a place called "{resolution.words}".')
            if resolution.suggestion is not None:
                self.set(pending=DidYouMean(slot=slot, option=_option(resolution.suggestion)))
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
            assert moment.time is not None
            if current is None:
                self.set(partial_time=PartialTime(time=moment.time, qualifier=moment.qualifier or "at"))
                self.progress = True
                return
            qualifier = moment.qualifier or current.qualifier or "at"
            self.put_arrival(current.model_copy(update={"time": moment.time, "qualifier": qualifier}),
                             state.arrival_said, here)
            return
        date = self.read_date(moment.date, current.date if current else None, here, timezone)
        if date is None:
            self.notes.append(f'Sorry, I couldn\'t work out the date "{mention.text}".')
            self.trouble = True
            return
        if moment.time is not None:
            time, qualifier = moment.time, moment.qualifier or "at"
        elif state.partial_time is not None:
            time, qualifier = state.partial_time.time, state.partial_time.qualifier
        elif current is not None and current.time is not None:
            time, qualifier = current.time, moment.qualifier or current.qualifier
        else:
            time, qualifier = None, moment.qualifier
        phrase = date.isoformat() if moment.date.startswith("day ") and current else moment.date
        self.put_arrival(Arrival(date=date, time=time, qualifier=qualifier), phrase, here)

    def put_arrival(self, arrival: Arrival, phrase: str | None, here: dt.datetime) -> None:
        if not self.acceptable(arrival.date, arrival.time, here, check_arrival):
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
        if moment.time is not None:
            time, qualifier = moment.time, moment.qualifier or "at"
        elif current is not None:
            time, qualifier = current.time, current.qualifier
        else:
            time, qualifier = None, None
        departure = Departure(date=date, time=time, qualifier=qualifier)
        if date is not None and not self.acceptable(date, time, here, check_departure):
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

    def acceptable(self, date: dt.date, time: dt.time | None, here: dt.datetime, check) -> bool:
        problem = check(date, time, here)
        if problem == "past":
            when = messages.describe_date(date)
            if time is not None and date == here.date():
                when = f"{messages.describe_time(time)} today"
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
        if check_arrival(date, arrival.time, local_now(self.now, timezone)) is None:
            self.set_slot("arrival", arrival.model_copy(update={"date": date}))

    def reread_departure(self) -> None:
        departure, phrase = self.state.slots.departure, self.state.departure_said
        assert departure is not None and phrase is not None
        timezone = self.zone("origin")
        date = resolve_date(phrase, self.now, timezone)
        here = local_now(self.now, timezone)
        if date is not None and date != departure.date and check_departure(date, departure.time, here) is None:
            self.set_slot("departure", departure.model_copy(update={"date": date}))

    # the reply -----------------------------------------------------------------------------
    def finish(self) -> None:
        state = self.state
        if self.progress:
            self.set(failures={})
        if state.status in ("booked", "cancelled"):
            question = self.question or "If you'd like another flight, tell me where to."
            self.set(requested="destination")
        elif state.pending is not None:
            question = self.pending_question()
            self.set(requested=state.pending.slot)
        else:
            missing = state.missing()
            if missing:
                self.acknowledge(missing[0])
            if missing:
                slot = missing[0]
                if self.trouble and not self.progress and self.question is None:
                    self.fail(slot)
                self.set(status="collecting", requested=slot)
                question = self.question or self.ask(slot)
            else:
                self.set(status="confirming", requested=None)
                question = self.question or messages.summary(self.state.slots)
        self.actions.append(Say(" ".join([*self.notes, question])))

    def acknowledge(self, asking: str) -> None:
        """Say what was taken that the next question does not show ("Noted: from Taipei, ...")."""
        slots, parts = self.state.slots, []
        if "destination" in self.changed and asking != "arrival" and slots.destination:
            parts.append(f"to {slots.destination.describe()}")
        if "origin" in self.changed and slots.origin:
            parts.append(f"from {slots.origin.describe()}")
        if "departure" in self.changed and slots.departure:
            parts.append(messages.describe_departure(slots.departure))
        if "arrival" in self.changed and slots.arrival:
            parts.append(messages.describe_arrival(slots.arrival))
        if parts:
            self.notes.append(f"Noted: {', '.join(parts)}.")

    def pending_question(self) -> str:
        pending = self.state.pending
        if isinstance(pending, DidYouMean):
            return f"Did you mean {pending.option.label}?"
        assert isinstance(pending, Choice)
        return f"Which {pending.name} do you mean: {_either([o.label for o in pending.options])}?"

    def ask(self, slot: str) -> str:
        spec = form_slot(slot)  # type: ignore[arg-type]
        if self.state.failures.get(slot, 0) > REASKS_BEFORE_EXAMPLE:
            return spec.explanation
        destination = self.state.slots.destination
        question = spec.question
        if slot == "arrival" and self.state.partial_time is not None:
            question = "On what date do you need to arrive in {destination}?"
        if destination is None:
            return question.replace(" in {destination}", "")
        return question.format(destination=destination.city)
