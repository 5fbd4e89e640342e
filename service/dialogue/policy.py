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
from .filling import SlotFiller
from .form import REASKS_BEFORE_EXAMPLE, form_slot
from .places import gazetteer
from .state import Choice, DialogueState, DidYouMean, Option
from .understanding import understand

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


def _either(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


class _Turn(SlotFiller):
    """One turn of the dialogue: which kind of message it is, and what the bot says back."""

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
            self.small_talk()
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
                slot = missing[0]
                self.acknowledge(slot)
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
