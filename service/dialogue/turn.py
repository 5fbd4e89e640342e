"""The working copy of one turn: the state as it is being changed, and what to say and do.

A plain record that the policy (``policy``) and the slot filling (``filling``) both write
to, in one place: the new state, the notes said before the question, the question itself,
the actions for the world, and three flags the end of the turn reads (did a value go in,
did something fail, which slots changed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .actions import Action
from .domain import SlotName
from .state import DialogueState
from .understanding import Understanding

__all__ = ["Turn"]


@dataclass
class Turn:
    state: DialogueState
    understood: Understanding
    now: dt.datetime
    """The conversation's clock (aware, UTC)."""
    new_reference: str | None = None
    """The reference a booking made in this turn gets (drawn by the caller, so the state the
    policy returns names it, exactly as stored)."""
    notes: list[str] = field(default_factory=list)
    """Said before the question, in order: acknowledgements, apologies, problems."""
    unknown_places: list[str] = field(default_factory=list)
    """Every unknown place of this message, named in one apology (``messages.unknown_places``)."""
    question: str | None = None
    """Said last instead of the form's next question, when the turn has a better one."""
    actions: list[Action] = field(default_factory=list)
    progress: bool = False
    """A value went into the form (or a time waits for its date)."""
    trouble: bool = False
    """Something the customer said could not be used; counts against the question asked."""
    changed: set[SlotName] = field(default_factory=set)

    @classmethod
    def begin(
        cls, state: DialogueState, understood: Understanding, now: dt.datetime, new_reference: str | None = None
    ) -> Turn:
        return cls(state.model_copy(update={"turns": state.turns + 1}), understood, now, new_reference)

    def set(self, **changes: object) -> None:
        self.state = self.state.model_copy(update=changes)

    def set_slot(self, name: SlotName, value: object) -> None:
        self.set(slots=self.state.slots.model_copy(update={name: value}))

    def take(self, name: SlotName, value: object) -> None:
        """A value the customer gave goes into its slot (and is acknowledged if not asked about)."""
        self.set_slot(name, value)
        self.progress = True
        self.changed.add(name)

    def problem(self, text: str) -> None:
        """Say what went wrong with a value; the slot stays as it was."""
        self.notes.append(text)
        self.trouble = True
