"""A conversation that holds a traveller's name, for the personal-data tests (storage, API, CLI).

The customer types the name in messages (so it is in the transcript, the tagger's tokens and
the replies, which say it back), first as "my name is ..." in capitals, then corrected to ``NAME``; the
form keeps it in the state's ``slots.traveller``, and the customer's "yes" books through the
real manager, which stores it with the booking and in that turn's response.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.storage.tables import BookingRow, ConversationRow, TurnRow

NAME = "Zebulon Quixote-Marsh"
NAME_WORDS = re.compile(r"zebulon|quixote|marsh", re.IGNORECASE)
SAYING_IT = ("my name is ZEBULON QUIXOTE-MARSH", "to denver", "december 5th", "the traveller is Zebulon Quixote-Marsh")
"""The customer's messages before the "yes": the name is said twice, in two cases (the second is booked)."""


def everything_stored(sessions: sessionmaker[Session], conversation_id: str) -> str:
    """Every stored row of the conversation (its state, turns, bookings) as one JSON text."""
    with sessions() as session:
        rows: list[Any] = []
        for table in (ConversationRow, TurnRow, BookingRow):
            key = table.id if table is ConversationRow else table.conversation_id
            rows += [dict(r._mapping) for r in session.execute(select(table.__table__).where(key == conversation_id))]
    return json.dumps(rows, default=str, ensure_ascii=False)
