"""Erasing a conversation's personal data, on SQLite and PostgreSQL: every trace of the name goes, nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.errors import ConversationNotFound
from service.manager import DialogueManager, NewConversation
from service.storage import repository
from service.storage.erasure import MARKER, Redactor
from service.storage.tables import TurnRow
from tests.service.conftest import NOW, LexicalParser, send
from tests.service.personal import NAME, NAME_WORDS, SAYING_IT, everything_stored


def _booked_with_a_name(manager: DialogueManager, sessions: sessionmaker[Session], name: str = NAME):
    conversation = manager.start()

    def say(text: str):
        return send(manager, LexicalParser(), conversation_id=conversation.conversation_id, token=conversation.token,
                    text=text)  # fmt: skip

    for text in SAYING_IT:
        say(text.replace(NAME, name).replace(NAME.upper(), name.upper()))
    booked = say("yes")
    assert booked.status == "booked" and booked.booking is not None and booked.booking.traveller == name
    return conversation, booked.booking


def test_the_name_goes_from_bookings_state_and_transcript(
    manager: DialogueManager, sessions: sessionmaker[Session]
) -> None:
    conversation, booking = _booked_with_a_name(manager, sessions)
    other, _ = _booked_with_a_name(manager, sessions, "Ada Lovelace")
    cid = conversation.conversation_id
    before = everything_stored(sessions, cid)
    assert {w.lower() for w in NAME_WORDS.findall(before)} == {"zebulon", "quixote", "marsh"}
    with sessions() as session:
        version = repository.get_conversation(session, conversation_id=cid).version

    done = manager.erase_personal_data(conversation_id=cid, token=conversation.token)
    assert (done.conversation_id, done.erased_at, done.bookings) == (cid, NOW, 1)
    assert done.turns == 5  # every turn from the first that said the name: each stored answer holds the form

    after = everything_stored(sessions, cid)
    assert NAME_WORDS.search(after) is None, NAME_WORDS.findall(after)
    with sessions() as session:
        stored = repository.get_conversation(session, conversation_id=cid)
        turns = repository.list_turns(session, conversation_id=cid)
        found = repository.find_booking(session, reference=booking.reference)
    assert stored.personal_data_erased_at == NOW and stored.version == version + 1  # a turn read before must retry
    assert stored.state["slots"]["traveller"] is None and stored.state["slots"]["destination"]["city"] == "Denver"
    said = {t.seq: t for t in turns}
    assert said[1].user_text == f"my name is {MARKER}" and said[4].user_text == f"the traveller is {MARKER}"
    assert MARKER in said[1].reply  # the bot's echo of what it did not understand
    assert [t["token"] for t in said[1].response["understood"]["tags"]] == ["my", "name", "is", MARKER, MARKER]
    with sessions() as session:
        tags = session.scalar(select(TurnRow.tags).where(TurnRow.conversation_id == cid, TurnRow.seq == 1))
    assert [token for token, _ in tags] == ["my", "name", "is", MARKER, MARKER]  # the tagger's lowercased tokens
    assert said[5].response["booking"]["traveller"] is None and said[5].response["slots"]["traveller"] is None
    # the booking stays as it was, but for the name, and can still be cancelled
    assert found is not None and found.booking == booking.model_copy(update={"traveller": None})
    assert found.updated_at == NOW
    view = manager.conversation(conversation_id=cid, token=conversation.token)
    assert view.personal_data_erased_at == NOW and NAME_WORDS.search(view.model_dump_json()) is None
    assert [t.seq for t in view.turns] == list(range(6))
    assert manager.cancel_booking(reference=booking.reference, token=conversation.token).status == "cancelled"
    # the other conversation keeps its own name
    assert "Ada Lovelace" in everything_stored(sessions, other.conversation_id)


def test_erasing_again_is_a_no_op_success(manager: DialogueManager, sessions: sessionmaker[Session]) -> None:
    conversation, _ = _booked_with_a_name(manager, sessions)
    cid = conversation.conversation_id
    first = manager.erase_personal_data(conversation_id=cid, token=conversation.token)
    erased = everything_stored(sessions, cid)
    manager.clock = lambda: NOW.replace(hour=11)
    again = manager.erase_personal_data_as_operator(conversation_id=cid)
    assert (again.erased_at, again.bookings, again.turns) == (first.erased_at, 0, 0)
    assert everything_stored(sessions, cid) == erased  # not a byte written, not even the version


def test_a_conversation_without_a_name_records_the_request(manager: DialogueManager) -> None:
    conversation = manager.start()
    done = manager.erase_personal_data(conversation_id=conversation.conversation_id, token=conversation.token)
    assert (done.erased_at, done.bookings, done.turns) == (NOW, 0, 0)
    view = manager.conversation(conversation_id=conversation.conversation_id, token=conversation.token)
    assert view.personal_data_erased_at == NOW and view.turns[0].reply.startswith("Hi!")


def test_a_name_given_after_an_erasure_is_erased_by_the_next(
    manager: DialogueManager, sessions: sessionmaker[Session]
) -> None:
    conversation, _ = _booked_with_a_name(manager, sessions)
    cid = conversation.conversation_id
    manager.erase_personal_data(conversation_id=cid, token=conversation.token)
    send(manager, LexicalParser(), conversation_id=cid, token=conversation.token, text="the name is Ada Lovelace")
    manager.clock = lambda: NOW.replace(hour=11)
    later = manager.erase_personal_data(conversation_id=cid, token=conversation.token)
    assert later.erased_at == NOW.replace(hour=11) and "Lovelace" not in everything_stored(sessions, cid)


def test_only_the_token_or_an_operator_erases(manager: DialogueManager, sessions: sessionmaker[Session]) -> None:
    conversation, _ = _booked_with_a_name(manager, sessions)
    stranger: NewConversation = manager.start()
    for conversation_id, token in [(conversation.conversation_id, stranger.token), ("0" * 32, conversation.token)]:
        with pytest.raises(ConversationNotFound):
            manager.erase_personal_data(conversation_id=conversation_id, token=token)
    with pytest.raises(ConversationNotFound):
        manager.erase_personal_data_as_operator(conversation_id="0" * 32)
    assert NAME in everything_stored(sessions, conversation.conversation_id)  # untouched by the refusals


def test_a_turn_worked_out_before_the_erasure_starts_again_from_the_erased_state(
    sessions: sessionmaker[Session],
) -> None:
    """An erasure that commits while a turn is being worked out (from the state that still held
    the name) moves the version on: the turn's save is refused, and it is worked out again."""

    class ErasedMidTurn(DialogueManager):
        armed = False
        plans = 0

        def _plan(self, session, message, reference):  # type: ignore[no-untyped-def]
            planned = super()._plan(session, message, reference)
            self.plans += 1
            if self.armed:  # another request, in its own transaction, before this turn is saved
                self.armed = False
                self.erase_personal_data_as_operator(conversation_id=message.conversation_id)
            return planned

    manager = ErasedMidTurn(sessions=sessions, clock=lambda: NOW)
    conversation = manager.start()
    for text in SAYING_IT:
        send(manager, LexicalParser(), conversation_id=conversation.conversation_id, token=conversation.token,
             text=text)  # fmt: skip
    manager.armed, manager.plans = True, 0
    result = send(manager, LexicalParser(), conversation_id=conversation.conversation_id, token=conversation.token,
                  text="to boston")  # fmt: skip
    assert manager.plans == 2 and result.slots.traveller is None
    assert result.slots.destination is not None and result.slots.destination.city == "Boston"
    assert NAME_WORDS.search(everything_stored(sessions, conversation.conversation_id)) is None


@pytest.mark.parametrize(
    ("names", "text", "erased"),
    [
        (["Zebulon Quixote"], "I am ZEBULON quixote, Zebulon to friends", f"I am {MARKER}, {MARKER} to friends"),
        (["Anna Lee"], "Annapolis by Lee's tree; Anna-Lee", f"Annapolis by {MARKER}'s tree; {MARKER}-{MARKER}"),
        (["Zoë O'Brien"], "zoë o'brien flies", f"{MARKER} flies"),
        (["Jean-Luc Picard"], "jean-luc, or Jean, or luc", f"{MARKER}, or {MARKER}, or {MARKER}"),
        (["張偉"], "我是張偉。謝謝", f"我是{MARKER}。謝謝"),  # no spaces between words
        (["J Smith"], "J. Smith or just J", f"J. {MARKER} or just J"),  # a lone initial names nobody
        ([], "Zebulon", "Zebulon"),
    ],
)
def test_names_are_matched_as_whole_words_in_any_case(names: list[str], text: str, erased: str) -> None:
    redactor = Redactor(names)
    assert redactor.text(text) == erased
    assert redactor.json({"reply": text, "tags": [[text, "O"]], "n": 1}) == {
        "reply": erased, "tags": [[erased, "O"]], "n": 1
    }  # fmt: skip
