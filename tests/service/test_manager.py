"""The manager on SQLite and PostgreSQL: one transaction per turn, nothing lost, nothing doubled, tokens respected."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service import manager as manager_module
from service.errors import BookingNotFound, ConversationNotFound, IdempotencyKeyReused, StorageUnavailable
from service.inference import warm_up
from service.manager import DialogueManager, NewConversation, TurnResult
from service.storage import make_engine, make_sessions, repository
from service.storage.tables import BookingRow, ConversationRow, TurnRow
from tests.service.conftest import NOW, LexicalParser, send

NAME = "Ana Sousa"


def _say(manager: DialogueManager, conversation: NewConversation, text: str, key: str | None = None) -> TurnResult:
    return send(
        manager, LexicalParser(), conversation_id=conversation.conversation_id, token=conversation.token, text=text,
        idempotency_key=key,
    )


def _confirming(manager: DialogueManager) -> NewConversation:
    conversation = manager.start()
    assert _say(manager, conversation, "to denver").missing == ["arrival", "traveller"]
    assert _say(manager, conversation, "december 5th").missing == ["traveller"]
    assert _say(manager, conversation, NAME).status == "confirming"
    return conversation


def _count(sessions: sessionmaker[Session], table, conversation_id: str) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table).where(table.conversation_id == conversation_id))


def test_a_conversation_from_greeting_to_booking(manager: DialogueManager, sessions: sessionmaker[Session]) -> None:
    started = manager.start()
    assert started.reply.endswith("Where do you want to fly to?")
    assert (started.status, started.missing) == ("collecting", ["destination", "arrival", "traveller"])
    assert len(started.token) >= 43  # 256 random bits, url-safe
    conversation = _confirming(manager)
    booked = _say(manager, conversation, "yes")
    assert booked.status == "booked" and booked.booking is not None
    assert booked.booking.reference in booked.reply
    body = booked.model_dump(mode="json")
    assert body["slots"]["destination"] == {"city": "Denver", "airports": ["DEN"], "timezone": "America/Denver"}
    assert body["slots"]["arrival"] == {"date": "2026-12-05", "time": None, "qualifier": None, "period": None}
    assert body["booking"]["status"] == "confirmed" and body["missing"] == []
    assert body["understood"]["tags"][0] == {"token": "yes", "tag": "O"}
    view = manager.conversation(conversation_id=conversation.conversation_id, token=conversation.token)
    assert [t.user for t in view.turns] == [None, "to denver", "december 5th", NAME, "yes"]
    assert [t.seq for t in view.turns] == [0, 1, 2, 3, 4]
    assert [b.reference for b in view.bookings] == [booked.booking.reference]
    with sessions() as session:
        stored = repository.get_conversation(session, conversation_id=conversation.conversation_id)
        assert stored.token_hash != conversation.token and len(stored.token_hash) == 64  # only the hash is kept
        assert stored.version == 5 and stored.status == "booked"
        last = repository.list_turns(session, conversation_id=conversation.conversation_id)[-1]
        assert last.tagger_ms is not None and last.handling_ms >= last.tagger_ms
        assert last.created_at == NOW


def test_tokens_open_only_their_own_conversation(manager: DialogueManager) -> None:
    mine, theirs = _confirming(manager), manager.start()
    booking = _say(manager, mine, "yes").booking
    for conversation_id, token in [(mine.conversation_id, theirs.token), ("0" * 32, mine.token),
                                   (mine.conversation_id, "")]:
        with pytest.raises(ConversationNotFound):
            send(manager, LexicalParser(), conversation_id=conversation_id, token=token, text="hi")
        with pytest.raises(ConversationNotFound):
            manager.conversation(conversation_id=conversation_id, token=token)
    assert manager.booking(reference=booking.reference, token=mine.token) == booking
    for reference, token in [(booking.reference, theirs.token), ("ZZZZ2222", mine.token)]:
        with pytest.raises(BookingNotFound):
            manager.booking(reference=reference, token=token)
        with pytest.raises(BookingNotFound):
            manager.cancel_booking(reference=reference, token=token)
    # Nor can another conversation cancel it in the chat.
    attempt = _say(manager, theirs, f"cancel {booking.reference}")
    assert "can't find a booking" in attempt.reply and attempt.booking is None
    assert manager.booking(reference=booking.reference, token=mine.token).status == "confirmed"


def test_cancelling_in_the_chat_and_outside_it(manager: DialogueManager) -> None:
    conversation = _confirming(manager)
    first = _say(manager, conversation, "yes").booking
    _say(manager, conversation, "to boston on december 10th")
    _say(manager, conversation, NAME)
    second = _say(manager, conversation, "yes").booking
    assert first.reference != second.reference
    cancelled = _say(manager, conversation, f"please cancel {first.reference.lower()}")
    assert cancelled.booking.reference == first.reference and cancelled.booking.status == "cancelled"
    assert "is cancelled" in cancelled.reply
    again = _say(manager, conversation, f"cancel {first.reference}")
    assert "already cancelled" in again.reply
    assert manager.cancel_booking(reference=second.reference, token=conversation.token).status == "cancelled"
    assert manager.cancel_booking(reference=second.reference, token=conversation.token).status == "cancelled"
    statuses = {b.reference: b.status for b in manager.bookings(limit=1000)}
    assert statuses[first.reference] == statuses[second.reference] == "cancelled"


def test_the_same_idempotency_key_books_once(manager: DialogueManager, sessions: sessionmaker[Session]) -> None:
    conversation = _confirming(manager)
    first = _say(manager, conversation, "yes", key="confirm-1")
    repeat = _say(manager, conversation, "yes", key="confirm-1")
    assert repeat == first and first.status == "booked"
    assert _count(sessions, BookingRow, conversation.conversation_id) == 1
    assert _count(sessions, TurnRow, conversation.conversation_id) == 5  # greeting + 4 messages
    with pytest.raises(IdempotencyKeyReused):
        _say(manager, conversation, "to boston", key="confirm-1")
    unkeyed = _say(manager, conversation, "yes")  # after booking, "yes" books nothing more
    assert unkeyed.booking is None and unkeyed.status == "booked"
    assert _count(sessions, BookingRow, conversation.conversation_id) == 1


def _race(count: int, work: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as error:  # reported by the assertions
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_concurrent_confirmations_with_one_key_book_once(
    manager: DialogueManager, sessions: sessionmaker[Session]
) -> None:
    conversation = _confirming(manager)
    results = _race(6, lambda i: _say(manager, conversation, "yes", key="double-click"))
    assert all(isinstance(r, TurnResult) for r in results), results
    assert len({r.booking.reference for r in results}) == 1
    assert _count(sessions, BookingRow, conversation.conversation_id) == 1


def test_concurrent_messages_lose_no_update(manager: DialogueManager, sessions: sessionmaker[Session]) -> None:
    conversation = manager.start()
    messages = [f"hello {i}" for i in range(8)]
    results = _race(len(messages), lambda i: _say(manager, conversation, messages[i]))
    assert all(isinstance(r, TurnResult) for r in results), results
    view = manager.conversation(conversation_id=conversation.conversation_id, token=conversation.token)
    assert [t.seq for t in view.turns] == list(range(len(messages) + 1))
    assert sorted(t.user for t in view.turns[1:]) == sorted(messages)
    with sessions() as session:
        stored = repository.get_conversation(session, conversation_id=conversation.conversation_id)
        assert stored.state["turns"] == len(messages) and stored.version == len(messages) + 1


def test_concurrent_answers_each_fill_their_slot(manager: DialogueManager) -> None:
    """Two slots answered at the same moment: both survive (a lost update would drop one)."""
    conversation = manager.start()
    results = _race(2, lambda i: _say(manager, conversation, ["to denver", "december 5th"][i]))
    assert all(isinstance(r, TurnResult) for r in results), results
    view = manager.conversation(conversation_id=conversation.conversation_id, token=conversation.token)
    assert view.slots.destination.city == "Denver" and view.slots.arrival.date.isoformat() == "2026-12-05"
    assert view.missing == ["traveller"]


def test_a_turn_and_its_booking_commit_together(
    manager: DialogueManager, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A booking that cannot be written leaves no turn, no state change and no booking behind; a passing
    conflict (a reference already taken) is retried and books once."""
    taken = _say(manager, _confirming(manager), "yes").booking.reference
    conversation = _confirming(manager)
    monkeypatch.setattr(manager_module, "new_reference", lambda: taken)
    manager.attempts = 3
    with pytest.raises(StorageUnavailable):
        _say(manager, conversation, "yes")
    view = manager.conversation(conversation_id=conversation.conversation_id, token=conversation.token)
    assert view.status == "confirming" and len(view.turns) == 4 and view.bookings == []
    fresh = iter([taken, "QRST2345"])
    monkeypatch.setattr(manager_module, "new_reference", lambda: next(fresh))
    booked = _say(manager, conversation, "yes")
    assert booked.booking.reference == "QRST2345"
    assert _count(sessions, BookingRow, conversation.conversation_id) == 1


def test_the_lexical_parser_is_a_fair_stand_in() -> None:
    [parse] = LexicalParser().parse(["to Denver [please]"])
    assert parse.tokens == ["to", "denver", "(", "please", ")"] and set(parse.tags) == {"O"}


def test_an_unreachable_database_is_reported_as_unavailable() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:1/nowhere", connect_args={"connect_timeout": 2})
    try:
        manager = DialogueManager(sessions=make_sessions(engine), clock=lambda: NOW)
        with pytest.raises(StorageUnavailable):
            manager.start()
    finally:
        engine.dispose()


def test_the_observer_hears_each_committed_change_once(sessions: sessionmaker[Session]) -> None:
    events: list[str] = []
    manager = DialogueManager(sessions=sessions, clock=lambda: NOW, observer=events.append)
    conversation = _confirming(manager)
    booked = _say(manager, conversation, "yes", key="k1")
    assert _say(manager, conversation, "yes", key="k1") == booked  # a replay changes nothing
    assert booked.booking is not None
    reference = booked.booking.reference
    manager.cancel_booking(reference=reference, token=conversation.token)
    manager.cancel_booking(reference=reference, token=conversation.token)  # already cancelled
    assert _say(manager, conversation, f"cancel {reference}").booking is not None
    assert events == ["booked", "cancelled"]


def test_warm_up_answers_sample_messages_and_stores_nothing(sessions: sessionmaker[Session]) -> None:
    seen: list[str] = []

    class Recording(LexicalParser):
        def parse(self, texts):
            seen.extend(texts)
            return super().parse(texts)

    def rows() -> tuple[int | None, ...]:
        with sessions() as session:
            return tuple(session.scalar(select(func.count()).select_from(t)) for t in (ConversationRow, TurnRow))

    before = rows()
    warm_up(Recording(), NOW)
    assert len(seen) >= 3 and any("taipei" in text for text in seen)
    assert rows() == before
