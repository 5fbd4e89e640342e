"""The dialogue manager: the tagger, the pure policy and the storage, tied together one turn at a time.

A customer message is tagged first (no lock held while the network runs). A reading
transaction then opens the conversation, replays the answer if the ``Idempotency-Key``
was seen, and runs the policy on the stored state. A short writing transaction saves the
new state over the version it was read at (a stale version means someone wrote since:
start again), writes any booking and appends the turn. Conflicts (a busy SQLite, a
PostgreSQL deadlock, a stale version, a duplicate key) roll everything back and retry;
nothing half-written is ever committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import Row
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from model import Parse

from .dialogue import (
    Action,
    Book,
    Booking,
    CancelBooking,
    DialogueState,
    Say,
    messages,
    next_turn,
    opening,
)
from .errors import (
    BookingNotFound,
    CommitOutcomeUnknown,
    ConversationNotFound,
    IdempotencyKeyReused,
    StorageUnavailable,
)
from .results import ConversationView, NewConversation, TranscriptTurn, TurnResult, Understood
from .storage import new_reference, repository
from .storage.database import READ_ONLY
from .tokens import hash_token, new_token, token_matches

__all__ = ["ConversationView", "DialogueManager", "NewConversation", "Parser", "TurnResult"]

log = logging.getLogger(__name__)
T = TypeVar("T")
# PostgreSQL: serialization failure, deadlock. SQLite: the busy timeout ran out.
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})
# What a message loses at its ends, as the API trims it: other spaces (U+3000, NBSP) are the customer's text.
_TRIMMED = " \t\n\r"


class Parser(Protocol):
    """Anything that tags messages like ``model.Tagger`` (the API injects a batching one)."""

    def parse(self, texts: Sequence[str]) -> list[Parse]: ...


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _retryable(error: Exception) -> bool:
    if isinstance(error, (StaleDataError, IntegrityError)):
        return True
    if isinstance(error, OperationalError):
        message = str(error.orig).lower()
        sqlstate = getattr(error.orig, "sqlstate", None)
        return sqlstate in _RETRY_SQLSTATES or "database is locked" in message or "busy" in message
    return False


@dataclass(frozen=True, slots=True)
class _Plan:
    """A turn worked out from the state at ``version``, to be written if that is still current."""

    version: int
    state: DialogueState
    actions: Sequence[Action]
    now: dt.datetime


class DialogueManager:
    """Conversations and bookings for the chat and the API; every method is one transaction."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        parser: Parser,
        clock: Callable[[], dt.datetime] = _utcnow,
        attempts: int = 8,
        observer: Callable[[str], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.parser = parser
        self.clock = clock
        self.attempts = attempts
        self.observer = observer  # told "booked" / "cancelled" once per committed change (metrics)

    def _tell(self, events: Sequence[str]) -> None:
        if self.observer is not None:
            for event in events:
                self.observer(event)

    def warm_up(self) -> None:
        """Tag and answer a few messages without storing anything, so the first customers do
        not pay for what loads on first use (date parsing's language data, ONNX Runtime's
        first run): cold, the first turns took over a second; warm, 5 ms."""
        samples = [
            "i want to arrive in taipei on nov. 2nd by 5 pm",
            "leave boston tomorrow morning",
            "actually the 3rd",
            "yes",
        ]
        state, _ = opening()
        for parse in self.parser.parse(samples):
            state, _ = next_turn(state, parse, self.clock())

    # transactions ------------------------------------------------------------------------
    def _retrying(self, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` again after a conflict (a stale version, a duplicate key, a busy or
        deadlocked database), with jittered backoff; give up with ``StorageUnavailable``."""
        for number in range(1, self.attempts + 1):
            try:
                return attempt()
            except (StaleDataError, DBAPIError) as error:
                if not _retryable(error):
                    # the driver's own words (disk full, read-only, connection refused), never the statement
                    cause = getattr(error, "orig", None) or error
                    log.warning("database unavailable: %s: %s", type(cause).__name__, str(cause).strip()[:300])
                    raise StorageUnavailable("the database is unavailable") from error
                log.info("turn conflict (%s), attempt %d: retrying", type(error).__name__, number)
                if number == self.attempts:
                    raise StorageUnavailable("the conversation is busy; try again") from error
                time.sleep(random.uniform(0, 0.01 * 2**number))
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, work: Callable[[Session], T], *, read_only: bool = False) -> T:
        """One transaction; ``read_only`` ones take no write lock on SQLite.

        A connection lost during the COMMIT itself leaves the outcome unknown (the server may
        have committed before the answer was lost): that is ``CommitOutcomeUnknown``, never
        "nothing was saved". Any other failure, the commit's included, rolls back for sure.
        """
        with self.sessions() as session:
            transaction = session.begin()
            try:
                if read_only:
                    session.connection(execution_options=READ_ONLY)
                result = work(session)
            except BaseException:
                transaction.rollback()
                raise
            try:
                transaction.commit()
            except DBAPIError as error:
                if error.connection_invalidated:
                    log.warning("connection lost during commit: the outcome is unknown")
                    raise CommitOutcomeUnknown("the database went away while saving") from error
                raise
            return result

    def _transaction(self, work: Callable[[Session], T], *, read_only: bool = False) -> T:
        return self._retrying(lambda: self._once(work, read_only=read_only))

    @staticmethod
    def _open(session: Session, conversation_id: str, token: str, lock: bool = False) -> Row[Any]:
        row = repository.get_conversation(session, conversation_id=conversation_id, lock=lock)
        if row is None or not token_matches(token, row.token_hash):
            raise ConversationNotFound("no such conversation")
        return row

    # conversations -----------------------------------------------------------------------
    def start(self) -> NewConversation:
        """A new conversation: its id, its token (shown once, stored hashed) and the greeting."""
        conversation_id, token = uuid.uuid4().hex, new_token()
        state, actions = opening()
        reply = " ".join(a.text for a in actions if isinstance(a, Say))
        result = TurnResult(
            conversation_id=conversation_id, reply=reply, status=state.status, slots=state.slots,
            missing=state.missing(),
        )

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

        self._transaction(work)
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
        idempotency_key: str | None = None,
        parse: Parse | None = None,
    ) -> TurnResult:
        """The bot's answer to one customer message (``parse``: already tagged, e.g. in a batch)."""
        began = time.perf_counter()
        text = text.strip(_TRIMMED)
        tagger_ms = None
        if parse is None:
            [parse] = self.parser.parse([text])
            tagger_ms = 1000 * (time.perf_counter() - began)

        def plan(session: Session) -> TurnResult | _Plan:
            """Outside the write lock: read the state and run the policy (the slow part)."""
            row = self._open(session, conversation_id, token)
            if idempotency_key is not None:
                seen = repository.turn_by_key(session, conversation_id=row.id, idempotency_key=idempotency_key)
                if seen is not None:
                    if seen.user_text != text:
                        raise IdempotencyKeyReused("this Idempotency-Key was used for another message")
                    return TurnResult.model_validate(seen.response)
            now = self.clock()
            state, actions = next_turn(DialogueState.from_json(row.state), parse, now)
            return _Plan(row.version, state, actions, now)

        def write(session: Session, planned: _Plan, events: list[str]) -> TurnResult:
            """Under the lock, briefly: the state goes first, over the version the plan read (a
            version-checked UPDATE, which also takes PostgreSQL's row lock; ``StaleDataError``
            if anyone wrote since), then the plan's actions and the turn."""
            state, now = planned.state, planned.now
            references = [new_reference() for action in planned.actions if isinstance(action, Book)]
            if references:
                state = state.model_copy(update={"bookings": (*state.bookings, *references)})
            repository.save_state(
                session, conversation_id=conversation_id, version=planned.version, state=state.to_json(),
                status=state.status, now=now,
            )
            unused = iter(references)
            said: list[str] = []
            booking: Booking | None = None
            for action in planned.actions:
                if isinstance(action, Say):
                    said.append(action.text)
                elif isinstance(action, Book):
                    booking = self._book(session, conversation_id, next(unused), action, now)
                    events.append("booked")
                    said.append(messages.booked(booking))
                elif isinstance(action, CancelBooking):
                    booking, message, changed = self._cancel(session, conversation_id, action.reference, now)
                    events.extend(["cancelled"] if changed else [])
                    said.append(message)
            result = TurnResult(
                conversation_id=conversation_id, reply=" ".join(said), status=state.status, slots=state.slots,
                missing=state.missing(), booking=booking, understood=Understood.of(parse),
            )
            repository.add_turn(
                session, conversation_id=conversation_id, seq=state.turns, user_text=text, reply=result.reply,
                tags=[[t, g] for t, g in zip(parse.tokens, parse.tags, strict=True)], intent=parse.intent or None,
                intent_confidence=parse.intent_confidence if parse.intent else None, status=state.status,
                idempotency_key=idempotency_key, response=result.model_dump(mode="json"), now=now,
                tagger_ms=tagger_ms, handling_ms=1000 * (time.perf_counter() - began),
            )
            return result

        def attempt() -> tuple[TurnResult, list[str]]:
            planned = self._once(plan, read_only=True)
            if isinstance(planned, TurnResult):  # a repeated Idempotency-Key: the stored answer
                return planned, []
            events: list[str] = []
            return self._once(lambda session: write(session, planned, events)), events

        result, events = self._retrying(attempt)
        self._tell(events)
        return result

    def _book(self, session: Session, conversation_id: str, reference: str, action: Book, now: dt.datetime) -> Booking:
        booking = repository.add_booking(
            session, conversation_id=conversation_id, reference=reference, slots=action.slots, now=now
        )
        log.info("booked %s for conversation %s", booking.reference, conversation_id)
        return booking

    def _cancel(
        self, session: Session, conversation_id: str, reference: str, now: dt.datetime
    ) -> tuple[Booking | None, str, bool]:
        row = repository.booking_row(session, reference=reference, lock=True)
        if row is None or row.conversation_id != conversation_id:
            return None, messages.not_cancellable(reference), False
        changed = repository.cancel_booking(session, reference=reference, now=now)
        cancelled = repository.booking_row(session, reference=reference)  # as the UPDATE left it
        assert cancelled is not None  # locked above, in this transaction
        booking = repository.to_booking(cancelled)
        return booking, messages.cancelled(booking, already=not changed), changed

    def conversation(self, *, conversation_id: str, token: str) -> ConversationView:
        """The state, bookings and transcript of a conversation the token opens."""

        def work(session: Session) -> ConversationView:
            row = self._open(session, conversation_id, token)
            state = DialogueState.from_json(row.state)
            turns = repository.list_turns(session, conversation_id=row.id)
            bookings = repository.list_bookings(session, conversation_id=row.id)
            return ConversationView(
                conversation_id=row.id, status=state.status, slots=state.slots, missing=state.missing(),
                bookings=[repository.to_booking(b) for b in bookings],
                turns=[TranscriptTurn(seq=t.seq, user=t.user_text, reply=t.reply, status=t.status, at=t.created_at)
                       for t in turns],
                created_at=row.created_at, updated_at=row.updated_at,
            )

        return self._transaction(work, read_only=True)

    # bookings ----------------------------------------------------------------------------
    def booking(self, *, reference: str, token: str) -> Booking:
        """A booking, for the token of the conversation that made it (anyone else: not found)."""

        def work(session: Session) -> Booking:
            row = repository.booking_row(session, reference=reference)
            if row is None:
                raise BookingNotFound("no such booking")
            try:
                self._open(session, row.conversation_id, token)
            except ConversationNotFound:
                raise BookingNotFound("no such booking") from None
            return repository.to_booking(row)

        return self._transaction(work, read_only=True)

    def cancel_booking(self, *, reference: str, token: str) -> Booking:
        """Cancel a booking outside the chat (idempotent), serialised with the conversation's turns."""

        def work(session: Session) -> tuple[Booking, bool]:
            found = repository.booking_row(session, reference=reference)
            if found is None:
                raise BookingNotFound("no such booking")
            try:
                self._open(session, found.conversation_id, token, lock=True)
            except ConversationNotFound:
                raise BookingNotFound("no such booking") from None
            changed = repository.cancel_booking(session, reference=reference, now=self.clock())
            row = repository.booking_row(session, reference=reference)
            assert row is not None
            return repository.to_booking(row), changed

        booking, changed = self._transaction(work)
        self._tell(["cancelled"] if changed else [])
        return booking

    def bookings(self, *, limit: int = 100, offset: int = 0) -> list[Booking]:
        """Every booking, oldest first (for administrators)."""

        def work(session: Session) -> list[Booking]:
            return [repository.to_booking(r) for r in repository.list_bookings(session, limit=limit, offset=offset)]

        return self._transaction(work, read_only=True)
