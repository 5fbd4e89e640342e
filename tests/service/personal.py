"""A conversation that holds a traveller's name, for the personal-data tests (storage, API, CLI).

The customer types the name in messages (so it is in the transcript, the tagger's tokens and,
as the bot echoes what it did not understand, in the replies). The dialogue does not ask
for the name yet, so ``hold_name`` puts it in the state's ``slots.traveller`` as the form
will; the customer's "yes" then books through the real manager, which stores it with the
booking and in that turn's response.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.dialogue import DialogueState
from service.storage import repository
from service.storage.tables import BookingRow, ConversationRow, TurnRow

from .conftest import NOW

NAME = "Zebulon Quixote-Marsh"
NAME_WORDS = re.compile(r"zebulon|quixote|marsh", re.IGNORECASE)
SAYING_IT = ("my name is Zebulon Quixote-Marsh", "to denver", "december 5th", "the traveller is ZEBULON QUIXOTE-MARSH")
"""The customer's messages before the "yes": the name is said twice, in two cases."""


def hold_name(sessions: sessionmaker[Session], conversation_id: str, name: str = NAME) -> None:
    """The state's ``slots.traveller``, as the form will fill it, saved over the current version."""
    with sessions.begin() as session:
        stored = repository.get_conversation(session, conversation_id=conversation_id, lock=True)
        assert stored is not None
        state = DialogueState.from_json(stored.state)
        state = state.model_copy(update={"slots": state.slots.model_copy(update={"traveller": name})})
        repository.save_state(
            session, conversation_id=conversation_id, version=stored.version, state=state.to_json(),
            status=state.status, now=NOW,
        )  # fmt: skip


def everything_stored(sessions: sessionmaker[Session], conversation_id: str) -> str:
    """Every stored row of the conversation (its state, turns, bookings) as one JSON text."""
    with sessions() as session:
        rows: list[Any] = []
        for table in (ConversationRow, TurnRow, BookingRow):
            key = table.id if table is ConversationRow else table.conversation_id
            rows += [dict(r._mapping) for r in session.execute(select(table.__table__).where(key == conversation_id))]
    return json.dumps(rows, default=str, ensure_ascii=False)
