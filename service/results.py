"""What the manager returns: plain, frozen pydantic values shaped like the chat API's JSON.

They are built from the domain values (``Slots``, ``Booking``) and the tagger's ``Parse``,
and stored as each turn's response, so a repeated ``Idempotency-Key`` gets the same JSON.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from model import Parse

from .dialogue import Booking, SlotName, Slots, Status

__all__ = [
    "ConversationView",
    "NewConversation",
    "PersonalDataErased",
    "TaggedToken",
    "TranscriptTurn",
    "TurnResult",
    "Understood",
    "UnderstoodSpan",
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class TaggedToken(_Out):
    token: str
    tag: str


class UnderstoodSpan(_Out):
    slot: str
    text: str
    start: int
    end: int
    confidence: float


class Understood(_Out):
    """What the tagger made of the message, for the client to show."""

    intent: str
    tags: list[TaggedToken]
    spans: list[UnderstoodSpan]

    @classmethod
    def of(cls, parse: Parse) -> Understood:
        return cls(
            intent=parse.intent,
            tags=[TaggedToken(token=t, tag=g) for t, g in zip(parse.tokens, parse.tags, strict=True)],
            spans=[UnderstoodSpan(slot=s.slot, text=s.text, start=s.start, end=s.end, confidence=s.confidence)
                   for s in parse.spans],
        )


class TurnResult(_Out):
    """The bot's answer to one message, with the conversation's state after it."""

    conversation_id: str
    reply: str
    status: Status
    slots: Slots
    missing: list[SlotName]
    booking: Booking | None = None
    understood: Understood | None = None


class NewConversation(_Out):
    conversation_id: str
    token: str
    reply: str
    status: Status
    slots: Slots
    missing: list[SlotName]


class TranscriptTurn(_Out):
    seq: int
    user: str | None
    reply: str
    status: Status
    at: dt.datetime


class ConversationView(_Out):
    conversation_id: str
    status: Status
    slots: Slots
    missing: list[SlotName]
    bookings: list[Booking]
    turns: list[TranscriptTurn]
    created_at: dt.datetime
    updated_at: dt.datetime
    personal_data_erased_at: dt.datetime | None = Field(
        default=None, description="When the conversation's personal data was last erased on request; null: never."
    )


class PersonalDataErased(_Out):
    """What erasing a conversation's personal data did (the traveller names, wherever they were kept)."""

    conversation_id: str
    erased_at: dt.datetime = Field(
        description="When the conversation's personal data was last erased; a repeat that finds nothing left "
        "to erase gives that earlier time."
    )
    bookings: int = Field(description="Bookings whose traveller name this request removed (0 on a repeat).")
    turns: int = Field(description="Transcript turns this request redacted (0 on a repeat).")
