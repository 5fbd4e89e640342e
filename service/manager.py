"""The dialogue manager: the pure policy and the storage, tied together one turn at a time.

A turn, as ``reply`` tells it: the caller has tagged the message (no lock is held while
the network runs) and a booking reference is drawn. A reading transaction opens the
conversation, replays the stored answer if the ``Idempotency-Key`` was seen, and runs the
policy on the stored state (``_plan``). A short writing transaction saves the new state
over the version it was read at, stores what the policy asked for (a booking, a
cancellation) and appends the turn (``_write``). A conflict (a busy SQLite, a PostgreSQL
deadlock, a stale version, a taken reference) makes the whole attempt start again from a
fresh read (``storage.transactions``); nothing half-written is ever committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from model import Parse

from .dialogue import Action, Book, Booking, CancelBooking, DialogueState, Say, messages, next_turn, opening
from .errors import BookingNotFound, ConversationNotFound, IdempotencyKeyReused
from .results import ConversationView, NewConversation, PersonalDataErased, TranscriptTurn, TurnResult, Understood
from .storage import erasure, new_reference, repository
from .storage.transactions import RetryPolicy, Transactions
from .tokens import hash_token, new_token, token_matches

__all__ = ["ConversationView", "DialogueManager", "NewConversation", "TurnResult"]

log = logging.getLogger(__name__)
# What a message loses at its ends, as the API trims it: other spaces (U+3000, NBSP) are the customer's text.
_TRIMMED = " \t\n\r"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class _Message:
    """One customer message, as the caller hands it over."""

    conversation_id: str
    token: str
    text: str
    parse: Parse
    idempotency_key: str | None
    tagger_ms: float | None
    began: float  # time.perf_counter() when the manager got it


@dataclass(frozen=True, slots=True)
class _Plan:
    """A turn worked out from the state at ``version``, to be written if that is still current."""

    version: int
    state: DialogueState
    actions: Sequence[Action]
    now: dt.datetime


class DialogueManager:
    """Conversations and bookings for the chat and the API; every method is one transaction
    (``reply``: one read and one write), retried after conflicts."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Callable[[], dt.datetime] = _utcnow,
        retry: RetryPolicy | None = None,
        observer: Callable[[str], None] | None = None,
    ) -> None:
        self.transactions = Transactions(sessions, retry)
        self.clock = clock
        self.observer = observer  # told "booked" / "cancelled" once per committed change (metrics)

    def _tell(self, events: Sequence[str]) -> None:
        if self.observer is not None:
            for event in events:
                self.observer(event)

    @staticmethod
    def _open(session: Session, conversation_id: str, token: str, lock: bool = False) -> repository.StoredConversation:
        stored = repository.get_conversation(session, conversation_id=conversation_id, lock=lock)
        if stored is None or not token_matches(token, stored.token_hash):
            raise ConversationNotFound("no such conversation")
        return stored

    # conversations -----------------------------------------------------------------------
    def start(self) -> NewConversation:
        """A new conversation: its id, its token (shown once, stored hashed) and the greeting."""
        conversation_id, token = uuid.uuid4().hex, new_token()
        state, actions = opening()
        reply = " ".join(a.text for a in actions if isinstance(a, Say))
        result = TurnResult(
            conversation_id=conversation_id, reply=reply, status=state.status, slots=state.slots,
            missing=state.missing(),
        )  # fmt: skip

        def work(session: Session) -> None:
            now = self.clock()
            repository.add_conversation(
                session, conversation_id=conversation_id, token_hash=hash_token(token), state=state.to_json(),
                status=state.status, now=now,
            )
            repository.add_turn(
                session, conversation_id=conversation_id, seq=0, user_text=None, reply=reply, tags=[], intent=None,
                intent_confidence=None, status=state.status, idempotency_key=None,
                response=result.model_dump(mode="json"), now=now,
            )

        self.transactions.run(work)
        return NewConversation(
            conversation_id=conversation_id, token=token, reply=reply, status=state.status, slots=state.slots,
            missing=state.missing(),
        )

    def reply(
        self,
        *,
        conversation_id: str,
        token: str,
        text: str,
        parse: Parse,
        idempotency_key: str | None = None,
        tagger_ms: float | None = None,
    ) -> TurnResult:
        """The bot's answer to one customer message, ``parse`` being the caller's tagging of it
        (``tagger_ms``: what that took, kept with the turn)."""
        message = _Message(
            conversation_id, token, text.strip(_TRIMMED), parse, idempotency_key, tagger_ms, time.perf_counter()
        )

        def attempt() -> tuple[TurnResult, list[str]]:
            reference = new_reference()  # a fresh one each attempt: a taken one is a conflict
            planned = self.transactions.once(lambda session: self._plan(session, message, reference), read_only=True)
            if isinstance(planned, TurnResult):  # a repeated Idempotency-Key: the stored answer
                return planned, []
            return self.transactions.once(lambda session: self._write(session, message, planned))

        result, events = self.transactions.retrying(attempt)
        self._tell(events)
        return result

    def _plan(self, session: Session, message: _Message, reference: str) -> TurnResult | _Plan:
        """Outside the write lock: read the state and run the policy (the slow part)."""
        stored = self._open(session, message.conversation_id, message.token)
        if message.idempotency_key is not None:
            seen = repository.turn_by_key(
                session, conversation_id=stored.id, idempotency_key=message.idempotency_key
            )
            if seen is not None:
                if seen.user_text != message.text:
                    raise IdempotencyKeyReused("this Idempotency-Key was used for another message")
                return TurnResult.model_validate(seen.response)
        now = self.clock()
        state, actions = next_turn(
            DialogueState.from_json(stored.state), message.parse, now, reference=reference, text=message.text
        )
        return _Plan(stored.version, state, actions, now)

    def _write(self, session: Session, message: _Message, planned: _Plan) -> tuple[TurnResult, list[str]]:
        """Under the lock, briefly: the state goes first, over the version the plan read (a
        version-checked UPDATE, which also takes PostgreSQL's row lock; ``StaleDataError``
        if anyone wrote since), then the plan's actions and the turn."""
        state, now, conversation_id = planned.state, planned.now, message.conversation_id
        repository.save_state(
            session, conversation_id=conversation_id, version=planned.version, state=state.to_json(),
            status=state.status, now=now,
        )
        said: list[str] = []
        events: list[str] = []
        booking: Booking | None = None
        for action in planned.actions:
            if isinstance(action, Say):
                said.append(action.text)
            elif isinstance(action, Book):
                booking = repository.add_booking(
                    session, conversation_id=conversation_id, reference=action.reference, slots=action.slots, now=now
                )
                log.info("booked %s for conversation %s", booking.reference, conversation_id)
                events.append("booked")
                said.append(messages.booked(booking))
            elif isinstance(action, CancelBooking):
                booking, text, changed = self._cancel_in_chat(session, conversation_id, action.reference, now)
                events.extend(["cancelled"] if changed else [])
                said.append(text)
        parse = message.parse
        result = TurnResult(
            conversation_id=conversation_id, reply=" ".join(said), status=state.status, slots=state.slots,
            missing=state.missing(), booking=booking, understood=Understood.of(parse),
        )
        handling_ms = (message.tagger_ms or 0.0) + 1000 * (time.perf_counter() - message.began)
        repository.add_turn(
            session, conversation_id=conversation_id, seq=state.turns, user_text=message.text, reply=result.reply,
            tags=[[t, g] for t, g in zip(parse.tokens, parse.tags, strict=True)], intent=parse.intent or None,
            intent_confidence=parse.intent_confidence if parse.intent else None, status=state.status,
            idempotency_key=message.idempotency_key, response=result.model_dump(mode="json"), now=now,
            tagger_ms=message.tagger_ms, handling_ms=handling_ms,
        )
        return result, events

    def _cancel_in_chat(
        self, session: Session, conversation_id: str, reference: str, now: dt.datetime
    ) -> tuple[Booking | None, str, bool]:
        found = repository.find_booking(session, reference=reference, lock=True)
        if found is None or found.conversation_id != conversation_id:
            return None, messages.not_cancellable(reference), False
        changed = repository.cancel_booking(session, reference=reference, now=now)
        cancelled = repository.find_booking(session, reference=reference)  # as the UPDATE left it
        assert cancelled is not None  # locked above, in this transaction
        return cancelled.booking, messages.cancelled(cancelled.booking, already=not changed), changed

    def conversation(self, *, conversation_id: str, token: str) -> ConversationView:
        """The state, bookings and transcript of a conversation the token opens."""

        def work(session: Session) -> ConversationView:
            stored = self._open(session, conversation_id, token)
            state = DialogueState.from_json(stored.state)
            turns = repository.list_turns(session, conversation_id=stored.id)
            return ConversationView(
                conversation_id=stored.id, status=state.status, slots=state.slots, missing=state.missing(),
                bookings=repository.list_bookings(session, conversation_id=stored.id),
                turns=[TranscriptTurn(seq=t.seq, user=t.user_text, reply=t.reply, status=t.status, at=t.created_at)
                       for t in turns],
                created_at=stored.created_at, updated_at=stored.updated_at,
                personal_data_erased_at=stored.personal_data_erased_at,
            )  # fmt: skip

        return self.transactions.run(work, read_only=True)

    # personal data -----------------------------------------------------------------------
    def erase_personal_data(self, *, conversation_id: str, token: str) -> PersonalDataErased:
        """Erase the conversation's traveller names everywhere (``storage.erasure``), for its token; idempotent."""
        return self._erase(conversation_id, token)

    def erase_personal_data_as_operator(self, *, conversation_id: str) -> PersonalDataErased:
        """The same for an operator, whom the caller has authorised (the admin key, the command line)."""
        return self._erase(conversation_id, None)

    def _erase(self, conversation_id: str, token: str | None) -> PersonalDataErased:
        def work(session: Session) -> erasure.Erasure:
            if token is not None:
                self._open(session, conversation_id, token, lock=True)
            done = erasure.erase_personal_data(session, conversation_id=conversation_id, now=self.clock())
            if done is None:
                raise ConversationNotFound("no such conversation")
            return done

        done = self.transactions.run(work)
        log.info("personal data erased for conversation %s (%d bookings, %d turns)", conversation_id, done.bookings,
                 done.turns)  # fmt: skip
        return PersonalDataErased(
            conversation_id=done.conversation_id, erased_at=done.erased_at, bookings=done.bookings, turns=done.turns
        )

    # bookings ----------------------------------------------------------------------------
    def _owned(self, session: Session, reference: str, token: str, *, lock: bool = False) -> Booking:
        """The booking, if the token opens the conversation that made it (anyone else: not found)."""
        found = repository.find_booking(session, reference=reference)
        if found is None:
            raise BookingNotFound("no such booking")
        try:
            self._open(session, found.conversation_id, token, lock=lock)
        except ConversationNotFound:
            raise BookingNotFound("no such booking") from None
        return found.booking

    def booking(self, *, reference: str, token: str) -> Booking:
        """A booking, for the token of the conversation that made it (anyone else: not found)."""

        return self.transactions.run(lambda session: self._owned(session, reference, token), read_only=True)

    def cancel_booking(self, *, reference: str, token: str) -> Booking:
        """Cancel a booking outside the chat (idempotent), serialised with the conversation's turns."""

        def work(session: Session) -> tuple[Booking, bool]:
            self._owned(session, reference, token, lock=True)
            changed = repository.cancel_booking(session, reference=reference, now=self.clock())
            found = repository.find_booking(session, reference=reference)
            assert found is not None
            return found.booking, changed

        booking, changed = self.transactions.run(work)
        self._tell(["cancelled"] if changed else [])
        return booking

    def bookings(self, *, limit: int = 100, offset: int = 0) -> list[Booking]:
        """Every booking, oldest first (for administrators)."""
        return self.transactions.run(
            lambda session: repository.list_bookings(session, limit=limit, offset=offset), read_only=True
        )
