"""Random conversations through the whole dialogue manager: the real tagger, a real SQLite file.

``tests/service/dialogue/test_robustness.py`` fuzzes the pure policy with made-up parses;
here hypothesis writes the customer's messages (booking phrases, corrections, yes/no,
cancellations of real and made-up references, replays of the last message with its
``Idempotency-Key``, and arbitrary Unicode), the bundled tagger reads them and the manager
stores every turn. After every turn the stored conversation must be valid: its state reads
back, its version counts its turns, its turns are numbered without gaps, the last one holds
the answer given, and its bookings are exactly the ones its state lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from model import Tagger
from service.api.schemas import MessageIn
from service.dialogue import DialogueState
from service.manager import DialogueManager, TurnResult
from service.storage import make_engine, make_sessions, migrate, repository
from service.storage.tables import BookingRow
from tests.service.conftest import NOW, send

CITIES = ["denver", "boston", "taipei", "portland", "new york", "paris", "springfield", "ontario", "jfk", "blorpville",
          "san francisco", "st. louis", "texas"]  # fmt: skip
WHEN = ["june 5th", "tomorrow", "the 3rd", "next friday", "december 24", "nov. 2nd", "yesterday", "2026-13-45",
        "5pm", "at noon", "by 9 am on january 12", "the fourteenth", "in two weeks", "february 30"]  # fmt: skip
FIXED = ["yes", "no", "cancel", "start over", "yes please book it", "nope", "hello", "what?", "cancel K7QX4MPA",
         "cancel my booking", "?", "no, the other one", "oregon", "the one in maine"]  # fmt: skip
REPLAY, CANCEL_MINE = "<replay the last message>", "<cancel one of my bookings>"

utterances = st.one_of(
    st.sampled_from(FIXED),
    st.builds("I want to arrive in {} on {}".format, st.sampled_from(CITIES), st.sampled_from(WHEN)),
    st.builds("to {}".format, st.sampled_from(CITIES)),
    st.builds("leave {} on {}".format, st.sampled_from(CITIES), st.sampled_from(WHEN)),
    st.builds("no, to {}".format, st.sampled_from(CITIES)),
    st.builds("actually {}".format, st.sampled_from(WHEN)),
    st.sampled_from(WHEN),
    st.just(REPLAY),
    st.just(CANCEL_MINE),
    st.text(min_size=1, max_size=40),
).map(lambda text: [text])
BOOKABLE = ["june 5th", "december 24", "nov. 2nd", "by 5 pm on january 12", "tomorrow", "the 3rd"]
a_booking = st.tuples(
    st.builds("I want to arrive in {} on {}, the name is {}".format, st.sampled_from(["denver", "boston", "taipei"]),
              st.sampled_from(BOOKABLE), st.sampled_from(["Ana Sousa", "李小龍", "Siobhán O'Brien"])),
    st.sampled_from(["yes", "yes please", "yes", "book it", "no, to paris", "no", "cancel"]),
    st.sampled_from([REPLAY, CANCEL_MINE, CANCEL_MINE, "yes"]),
).map(list)  # fmt: skip
# some messages, most often a booking in the middle (so that booking, replaying and cancelling happen), more messages
scripts = st.tuples(
    st.lists(utterances, max_size=2), st.one_of(a_booking, a_booking, utterances), st.lists(utterances, max_size=3)
).map(lambda parts: [text for chunks in (parts[0], [parts[1]], parts[2]) for chunk in chunks for text in chunk])


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('properties')) / 'ticketbot.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    yield make_sessions(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def manager(sessions: sessionmaker[Session], tagger: Tagger) -> DialogueManager:
    return DialogueManager(sessions=sessions, clock=lambda: NOW)


def _check_stored(sessions: sessionmaker[Session], conversation_id: str, result: TurnResult, said: list[str]) -> None:
    with sessions() as session:
        row = repository.get_conversation(session, conversation_id=conversation_id)
        assert row is not None
        state = DialogueState.from_json(row.state)
        assert state.to_json() == row.state
        assert row.status == state.status == result.status
        assert state.slots == result.slots and state.missing() == result.missing
        assert row.version == len(said) + 1  # one write per turn, none lost, none doubled
        turns = repository.list_turns(session, conversation_id=conversation_id)
        assert [t.seq for t in turns] == list(range(len(said) + 1))
        assert [t.user_text for t in turns[1:]] == said
        assert TurnResult.model_validate(turns[-1].response) == result
        mine = select(BookingRow).where(BookingRow.conversation_id == conversation_id).order_by(BookingRow.id)
        bookings = list(session.scalars(mine))
        assert [b.reference for b in bookings] == list(state.bookings)
        assert all(b.status in ("confirmed", "cancelled") for b in bookings)
        if result.booking is not None:
            stored = {b.reference: repository.to_booking(b) for b in bookings}
            assert stored[result.booking.reference] == result.booking


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
def test_random_conversations_never_crash_and_stay_valid(
    manager: DialogueManager, sessions: sessionmaker[Session], tagger: Tagger, data: st.DataObject
) -> None:
    started = manager.start()
    cid, token = started.conversation_id, started.token
    said: list[str] = []
    last: tuple[str, str, TurnResult] | None = None
    for step, text in enumerate(data.draw(scripts, label="messages")):
        if text == REPLAY:
            if last is None:
                continue
            replayed = send(manager, tagger, conversation_id=cid, token=token, text=last[0], idempotency_key=last[1])
            assert replayed == last[2], "a replayed key must get the stored answer"
            _check_stored(sessions, cid, last[2], said)
            continue
        if text == CANCEL_MINE:
            with sessions() as session:
                row = repository.get_conversation(session, conversation_id=cid)
                references = DialogueState.from_json(row.state).bookings
            text = f"cancel {data.draw(st.sampled_from(references), label='reference')}" if references else "cancel"
        try:
            text = MessageIn(text=text).text  # what the API would let through
        except ValidationError:
            continue
        key = f"key-{step}"
        result = send(manager, tagger, conversation_id=cid, token=token, text=text, idempotency_key=key)
        assert isinstance(result, TurnResult)
        assert result.status in ("collecting", "confirming", "booked", "cancelled")
        assert result.reply.strip()
        if result.status == "confirming":
            assert result.missing == []
        said.append(text)
        last = (text, key, result)
        _check_stored(sessions, cid, result, said)
    view = manager.conversation(conversation_id=cid, token=token)
    assert [t.user for t in view.turns[1:]] == said
    event(f"{min(len(view.bookings), 2)}+ bookings" if len(view.bookings) > 1 else f"{len(view.bookings)} bookings")
    event(f"{sum(b.status == 'cancelled' for b in view.bookings)} cancelled")
    event(f"ended {view.status}")
