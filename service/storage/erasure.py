"""Erasing a conversation's personal data on request: every traveller name it ever held, wherever it was stored.

A name is kept in four places: the bookings' ``traveller_name``, the dialogue state's
``slots.traveller``, each stored turn's response (its ``slots`` and ``booking``), and the
words of the transcript (what the customer typed, the bot's reply saying it back, the
tagger's lowercased tokens, the response's ``understood`` spans). The names are collected
from the first three, then removed: structured fields become ``None`` (a booking without a
name, as those made before names were asked), and in free text each name, and each of its
words and their parts of two letters or more ("Quixote-Marsh", "Marsh"), is replaced by
``[erased]`` wherever it stands as a whole word, in any case. Erasing the words too errs on
the side of the customer: "Quixote" said alone in a later message goes as well, at the
price of the odd common word that is also a name's.

Everything else stays: the bookings (still readable and cancellable by the token), the
cities and dates, the turns' order and times. The conversation records when it was erased
(``personal_data_erased_at``) and its state's version moves on, so a turn worked out from
the state as it was before fails its version-checked save and starts again from the erased
one. A second erasure finds no names and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..dialogue.state import DialogueState
from .repository import BOOKINGS, CONVERSATIONS, TURNS, _run, get_conversation, save_state

__all__ = ["MARKER", "Erasure", "Redactor", "erase_personal_data", "names_in_response"]

MARKER = "[erased]"
# Scripts written without spaces between words: a name in them is matched without word boundaries
# (Thai, Lao, Myanmar, Khmer, kana, CJK ideographs).
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD_SEPARATORS = re.compile(r"[\s\-'\u2019]+")


@dataclass(frozen=True, slots=True)
class Erasure:
    """What one erasure did: when the conversation's personal data was (last) erased, and
    how many bookings and turns this call changed (none on a repeat)."""

    conversation_id: str
    erased_at: dt.datetime
    bookings: int
    turns: int


def _phrase(text: str) -> str:
    body = r"\s+".join(re.escape(word) for word in text.split())
    before = "" if _UNSPACED.match(text[0]) else r"(?<!\w)"
    after = "" if _UNSPACED.match(text[-1]) else r"(?!\w)"
    return before + body + after


class Redactor:
    """Replaces names, and their words, in text and in JSON documents."""

    def __init__(self, names: Iterable[str]) -> None:
        phrases: set[str] = set()
        for name in names:
            name = " ".join(name.split())
            if not name:
                continue
            phrases.add(name)
            words = [*name.split(), *_WORD_SEPARATORS.split(name)]  # "Quixote-Marsh" (a token), "Marsh"
            phrases.update(word for word in words if len(word) > 1)  # a lone initial names nobody
        # the longest first, so the whole name goes in one piece before its words are tried
        ordered = sorted(phrases, key=lambda p: (-len(p), p))
        self._pattern = re.compile("|".join(map(_phrase, ordered)), re.IGNORECASE) if ordered else None

    def text(self, value: str) -> str:
        return value if self._pattern is None else self._pattern.sub(MARKER, value)

    def json(self, value: Any) -> Any:
        """The same document with every string value redacted (keys are the schema's, never the customer's)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value


def names_in_response(response: dict[str, Any]) -> set[str]:
    """The traveller names in a stored turn's response (its slots, and the booking it made)."""
    names = set()
    for holder in (response.get("slots"), response.get("booking")):
        if isinstance(holder, dict) and isinstance(holder.get("traveller"), str):
            names.add(holder["traveller"])
    return names


def _without_traveller(document: dict[str, Any]) -> dict[str, Any]:
    """A response with ``traveller`` cleared in its slots and booking (the rest is redacted as text)."""
    document = dict(document)
    for key in ("slots", "booking"):
        holder = document.get(key)
        if isinstance(holder, dict) and holder.get("traveller") is not None:
            document[key] = {**holder, "traveller": None}
    return document


def _erased_state(state: dict[str, Any], redactor: Redactor) -> DialogueState:
    """The state without the name: ``slots.traveller`` cleared, names in its other words
    redacted; a confirmation that awaited a form the erasure left incomplete goes back to
    asking for what the form now misses."""
    slots = {**state.get("slots", {}), "traveller": None}
    rest = redactor.json({key: value for key, value in state.items() if key != "slots"})
    erased = DialogueState.from_json({**rest, "slots": slots})
    missing = erased.missing()
    if erased.status == "confirming" and missing:
        erased = erased.model_copy(update={"status": "collecting", "requested": missing[0]})
    return erased


def erase_personal_data(session: Session, *, conversation_id: str, now: dt.datetime) -> Erasure | None:
    """Erase the conversation's personal data in the caller's transaction; None: no such conversation."""
    stored = get_conversation(session, conversation_id=conversation_id, lock=True)
    if stored is None:
        return None
    booked = _run(session, select(BOOKINGS.c.id, BOOKINGS.c.traveller_name).where(
        BOOKINGS.c.conversation_id == conversation_id, BOOKINGS.c.traveller_name.is_not(None)
    )).all()  # fmt: skip
    turns = _run(session, select(TURNS.c.id, TURNS.c.user_text, TURNS.c.reply, TURNS.c.tags, TURNS.c.response).where(
        TURNS.c.conversation_id == conversation_id
    )).all()  # fmt: skip
    names = {row.traveller_name for row in booked}
    names.update(names_in_response({"slots": stored.state.get("slots")}))
    for turn in turns:
        names.update(names_in_response(turn.response or {}))
    names.discard("")
    if not names:
        erased_at = stored.personal_data_erased_at
        if erased_at is None:  # the request is recorded even when there was nothing to erase
            erased_at = now
            _run(session, update(CONVERSATIONS).where(CONVERSATIONS.c.id == conversation_id).values(
                personal_data_erased_at=now
            ))  # fmt: skip
        return Erasure(conversation_id, erased_at, bookings=0, turns=0)

    redactor = Redactor(names)
    if booked:
        _run(session, update(BOOKINGS).where(BOOKINGS.c.id.in_([row.id for row in booked])).values(
            traveller_name=None, updated_at=now
        ))  # fmt: skip
    changed_turns = 0
    for turn in turns:
        values = {
            "user_text": None if turn.user_text is None else redactor.text(turn.user_text),
            "reply": redactor.text(turn.reply),
            "tags": redactor.json(turn.tags),
            "response": redactor.json(_without_traveller(turn.response)),
        }
        if values != {"user_text": turn.user_text, "reply": turn.reply, "tags": turn.tags, "response": turn.response}:
            _run(session, update(TURNS).where(TURNS.c.id == turn.id).values(**values))
            changed_turns += 1
    state = _erased_state(stored.state, redactor)
    save_state(
        session, conversation_id=conversation_id, version=stored.version, state=state.to_json(),
        status=state.status, now=now,
    )  # fmt: skip
    _run(session, update(CONVERSATIONS).where(CONVERSATIONS.c.id == conversation_id).values(
        personal_data_erased_at=now
    ))  # fmt: skip
    return Erasure(conversation_id, now, bookings=len(booked), turns=changed_turns)
