"""The dialogue policy: ``next_turn(state, parse, now, reference=...) -> (new_state, actions)``, with no I/O.

One turn, in order of precedence: a booking reference ("cancel K7QX4MPA"), "start
over", "cancel", small talk after a booking, the answer to a pending check ("Did you
mean ...?", "Which Portland?"), "yes"/"no" to the summary, and otherwise the values
said, each applied to its own slot only (so "actually the 5th" changes the date and
nothing else). Then the bot asks for the first missing required slot, or summarises and
asks for confirmation. The form (``form.FORM``) holds the slots, questions and checks;
``messages`` holds the words.
"""

from __future__ import annotations

import datetime as dt

from model import Parse

from . import lexicon, messages
from .actions import Action, Book, CancelBooking, Say
from .domain import PlaceSlot, SlotName, Travellers
from .filling import fill, option, place_value
from .form import REASKS_BEFORE_EXAMPLE, form_slot
from .places import Resolved, gazetteer, normalise
from .state import Choice, DialogueState, DidYouMean, Option
from .turn import Turn
from .understanding import understand

__all__ = ["next_turn", "opening"]

_ORDINALS = {"first": 0, "1st": 0, "1": 0, "former": 0, "second": 1, "2nd": 1, "2": 1, "third": 2, "3rd": 2,
             "3": 2, "fourth": 3, "4th": 3, "4": 3, "last": -1, "latter": -1}  # fmt: skip


def opening() -> tuple[DialogueState, list[Action]]:
    """A new conversation's state and greeting."""
    return DialogueState(), [Say(messages.GREETING)]


def next_turn(
    state: DialogueState, parse: Parse, now: dt.datetime, *, reference: str | None = None, text: str | None = None
) -> tuple[DialogueState, list[Action]]:
    """The bot's answer to one customer message; ``now`` is the conversation's clock (aware, UTC).

    ``reference`` is what a booking made in this turn is called: drawn by the caller before
    the turn, so the state returned lists it exactly as it will be stored. A turn that books
    without one is a programming error (``ValueError``). ``text`` is the message as typed,
    which a name is read from (default: the parse's tokens, lower-cased).
    """
    turn = Turn.begin(state, understand(parse, text=text, asked=state.requested), now, reference)
    _dispatch(turn)
    return turn.state, turn.actions


# --- which kind of message, in order of precedence ---------------------------------------------


def _dispatch(turn: Turn) -> None:
    u, status = turn.understood, turn.state.status
    if not u.tokens:
        turn.notes.append(messages.NOT_UNDERSTOOD)
    elif u.references and ("cancel" in u.acts or not u.has_values):
        _on_reference(turn)
    elif "restart" in u.acts:
        _reset(turn, "collecting")
        turn.notes.append(messages.START_OVER)
    elif "cancel" in u.acts:
        _on_cancel(turn)
    elif status in ("booked", "cancelled") and not u.has_values:
        _small_talk(turn)
    else:
        if status in ("booked", "cancelled"):  # a new request after the last one ended
            _reset(turn, "collecting")
        if turn.state.pending is not None and _on_pending(turn):
            return _finish(turn)
        if turn.state.status == "confirming" and not u.has_values:
            if _on_confirming(turn):
                return None  # booked: the caller words the booking
        else:
            _small_talk(turn)
            fill(turn)
    return _finish(turn)


def _reset(turn: Turn, status: str) -> None:
    """An empty form, keeping what outlives it: the turn count and the bookings made."""
    turn.state = DialogueState(
        status=status,  # type: ignore[arg-type]
        turns=turn.state.turns,
        bookings=turn.state.bookings,
        requested="destination" if status == "collecting" else None,
    )


def _fail(turn: Turn, key: str) -> int:
    count = turn.state.failures.get(key, 0) + 1
    turn.set(failures={**turn.state.failures, key: count})
    return count


def _small_talk(turn: Turn) -> None:
    u = turn.understood
    if "price" in u.acts:  # "how much is it?": said plainly, whatever else the message holds
        turn.notes.append(messages.NO_PRICES)
    if u.has_values:
        return
    if "help" in u.acts:
        turn.notes.append(messages.HELP)
    elif "greet" in u.acts:
        turn.notes.append(messages.HELLO)
    elif "thanks" in u.acts:
        turn.notes.append(messages.YOU_ARE_WELCOME)


def _on_reference(turn: Turn) -> None:
    reference, u = turn.understood.references[0], turn.understood
    if reference not in turn.state.bookings:
        turn.notes.append(messages.not_cancellable(reference))
    elif "cancel" in u.acts:
        turn.actions.append(CancelBooking(reference))
        if turn.state.status == "booked" and reference == turn.state.bookings[-1]:
            turn.set(status="cancelled")
    else:
        turn.notes.append(messages.to_cancel(reference))


def _on_cancel(turn: Turn) -> None:
    status = turn.state.status
    if status == "booked" and turn.state.bookings:
        turn.notes.append(messages.stays_confirmed(turn.state.bookings[-1]))
    elif status == "cancelled":
        turn.notes.append(messages.NOTHING_TO_CANCEL)
    else:
        _reset(turn, "cancelled")
        turn.notes.append(messages.REQUEST_CANCELLED)


def _on_pending(turn: Turn) -> bool:
    """Handle the answer to "Did you mean ...?" or "Which ...?"; False: it was not one."""
    pending, u = turn.state.pending, turn.understood
    if isinstance(pending, DidYouMean):
        turn.set(pending=None)
        if "yes" in u.acts and not u.has_values:
            place_value(turn, pending.slot, pending.option.city)
            return True
        if "no" in u.acts and not u.has_values:
            turn.notes.append(messages.SORRY_ABOUT_THAT)
            turn.question = form_slot(pending.slot).question
            return True
        return False
    assert isinstance(pending, Choice)
    chosen = _pick(turn, pending)
    if chosen is not None:
        turn.set(pending=None)
        place_value(turn, pending.slot, chosen.city)
        return True
    if u.has_values:
        turn.set(pending=None)
        return False
    if "no" in u.acts:
        turn.set(pending=None)
        turn.notes.append(messages.OK)
        turn.question = form_slot(pending.slot).question
        return True
    if _fail(turn, "choice") > REASKS_BEFORE_EXAMPLE:
        turn.notes.append(messages.pick_one(pending.options[0].label))
    else:
        turn.notes.append(messages.WHICH_ONE)
    return True


def _pick(turn: Turn, choice: Choice) -> Option | None:
    """The option the answer names ("the one in Oregon", "Maine") or counts to ("the second")."""
    tokens = turn.understood.tokens
    said = " ".join(tokens)
    matching = [o for o in choice.options if gazetteer().matches(o, said)]
    if len(matching) == 1:
        return matching[0]
    named = [o for o in choice.options if f" {normalise(o.city.city)} " in f" {normalise(said)} "]
    if len(named) == 1:  # "new york" to "Boston or New York?" (namesakes share their name: no pick)
        return named[0]
    positions = {_ORDINALS[t] for t in tokens if t in _ORDINALS}
    if len(positions) == 1:
        position = positions.pop()
        if position < len(choice.options):
            return choice.options[position]
    # none of those: "illinois" to "Missouri or Massachusetts?", "the one in italy"
    words = [t for t in tokens if t not in lexicon.FILLERS and t not in {",", ".", "none", "those", "neither"}]
    if words:
        resolution = gazetteer().resolve(f"{choice.name} {' '.join(words)}")
        if isinstance(resolution, Resolved):
            return option(resolution.place)
    return None


def _on_confirming(turn: Turn) -> bool:
    """ "yes" books (True: nothing more to say), "no" asks what to change."""
    u = turn.understood
    if "yes" in u.acts:
        if turn.new_reference is None:
            raise ValueError("a turn that books needs the new booking's reference")
        turn.actions.append(Book(turn.state.slots, turn.new_reference))
        turn.set(
            status="booked", requested=None, failures={}, pending=None, partial_time=None, partial_date=None,
            bookings=(*turn.state.bookings, turn.new_reference),
        )  # fmt: skip
        return True
    if "no" in u.acts:
        turn.question = messages.CHANGE_WHAT
    elif u.acts & {"greet", "thanks", "help", "price"}:
        _small_talk(turn)
    else:
        if u.leftover:
            turn.notes.append(messages.not_understood(" ".join(u.leftover)))
        if _fail(turn, "confirm") > REASKS_BEFORE_EXAMPLE:
            turn.notes.append(messages.CONFIRM_OR_CHANGE)
    return False


# --- the reply -----------------------------------------------------------------------------------


def _finish(turn: Turn) -> None:
    """The question that ends the reply: what the form needs next, a pending check, or the summary."""
    if turn.progress:
        turn.set(failures={})
    state = turn.state
    if state.status in ("booked", "cancelled"):
        question = turn.question or messages.ANOTHER_FLIGHT
        turn.set(requested="destination")
    elif state.pending is not None:
        question = _pending_question(state)
        turn.set(requested=state.pending.slot)
    elif (region_question := _ask_region(turn)) is not None:
        question = region_question
    elif (day_question := _ask_day(turn)) is not None:
        question = day_question
    elif (count_question := _ask_count(turn)) is not None:
        question = count_question
    else:
        missing = state.missing()
        if missing:
            slot = missing[0]
            _acknowledge(turn, asking=slot)
            if turn.trouble and not turn.progress and turn.question is None:
                _fail(turn, slot)
            turn.set(status="collecting", requested=slot)
            question = turn.question or _ask(turn.state, slot)
        else:
            turn.set(status="confirming", requested=None)
            question = turn.question or messages.summary(turn.state.slots)
    turn.actions.append(Say(" ".join([*turn.notes, question])))


def _lets_go(turn: Turn, asked: SlotName, key: str) -> bool:
    """Whether the customer lets a side question about ``asked`` go (a region's city, a week's day,
    a party's number): "no", or more than ``REASKS_BEFORE_EXAMPLE`` answers in a row under
    ``key`` that gave nothing. Then its failures are cleared and the form asks its own question."""
    if turn.state.requested != asked or turn.progress:
        return False
    u = turn.understood
    refused = "no" in u.acts and not u.has_values
    if not (refused or (turn.trouble and _fail(turn, key) > REASKS_BEFORE_EXAMPLE)):
        return False
    if refused:
        turn.notes.append(messages.OK)
    turn.set(failures={k: v for k, v in turn.state.failures.items() if k != key})
    turn.question = None
    return True


def _ask_region(turn: Turn) -> str | None:
    """ "Which city in Ohio ...?" for a region said in place of a city, the destination's first,
    before the form's next question: the customer is on that subject. None: no region waits.

    "No" to it lets the region go, and so do more than ``REASKS_BEFORE_EXAMPLE`` answers in a
    row that name no city (the origin of a one-way trip may stay open); the form then asks
    its own question where the slot is required.
    """
    regions = turn.state.regions
    slot: PlaceSlot | None = next((s for s in ("destination", "origin") if s in regions), None)
    if slot is None:
        return None
    if _lets_go(turn, slot, "region"):
        turn.set(regions={k: v for k, v in regions.items() if k != slot})
        return _ask_region(turn)
    _acknowledge(turn, asking=slot)
    turn.set(status="collecting", requested=slot)
    return turn.question or messages.which_city_in(regions[slot], destination=slot == "destination")


def _ask_day(turn: Turn) -> str | None:
    """ "Which day next week ...?" for a week or month said without its day, before the form's
    next question. None: none waits. "No", or more than ``REASKS_BEFORE_EXAMPLE`` answers in
    a row that name no day, lets it go; the form then asks its own question."""
    undayed = turn.state.partial_date
    if undayed is None:
        return None
    if undayed.slot == "arrival" and not form_slot("arrival").needed(turn.state.slots):
        turn.set(partial_date=None)  # "for the weekend, leaving friday": the departure's day will do
        return None
    if _lets_go(turn, undayed.slot, "day"):
        turn.set(partial_date=None)
        return None
    _acknowledge(turn, asking=undayed.slot)
    turn.set(status="collecting", requested=undayed.slot)
    destination = turn.state.slots.destination
    return turn.question or messages.which_day(undayed.slot, undayed.said, destination.city if destination else None)


def _ask_count(turn: Turn) -> str | None:
    """ "How many people are travelling, you included?" for a party named without its number,
    before the form's next question. None: none waits. "No", or more than
    ``REASKS_BEFORE_EXAMPLE`` answers in a row that give no number, books those counted so far."""
    counting = turn.state.counting
    if counting is None:
        return None
    if _lets_go(turn, "travellers", "count"):
        turn.take("travellers", Travellers(adults=counting.adults, children=counting.children))
        turn.set(counting=None)
        return None
    _acknowledge(turn, asking="travellers")
    turn.set(status="collecting", requested="travellers")
    return turn.question or messages.how_many(counting.asking)


def _acknowledge(turn: Turn, *, asking: SlotName) -> None:
    """Say what was taken that the next question does not show ("Noted: from Taipei, ...")."""
    shown_by_question = {"arrival": {"destination"}}.get(asking, set())  # "When do you need to arrive in X?"
    said = [name for name in turn.changed if name not in shown_by_question and getattr(turn.state.slots, name)]
    if said:
        turn.notes.append(messages.noted(turn.state.slots, said))


def _pending_question(state: DialogueState) -> str:
    pending = state.pending
    if isinstance(pending, DidYouMean):
        return messages.did_you_mean(pending.option.label)
    assert isinstance(pending, Choice)
    return messages.which_of(pending.name, [o.label for o in pending.options])


def _ask(state: DialogueState, slot: SlotName) -> str:
    """The form's question for a slot (its explanation after repeated failures)."""
    spec = form_slot(slot)
    if state.failures.get(slot, 0) > REASKS_BEFORE_EXAMPLE:
        return spec.explanation
    destination = state.slots.destination
    if state.partial_time is not None and state.partial_time.slot == slot:
        return messages.date_question(slot, destination.city if destination else None)
    if destination is None:
        return spec.question.replace(" in {destination}", "")
    return spec.question.format(destination=destination.city)
