"""``ticketbot db ...`` and ``ticketbot chat``, run as users run them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from service.cli import app
from service.manager import DialogueManager
from service.storage import make_engine, make_sessions, migrate
from service.storage.tables import BookingRow
from tests.service.conftest import NOW, LexicalParser, send
from tests.service.personal import NAME, NAME_WORDS, SAYING_IT, everything_stored

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_db_upgrade_current_downgrade_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "database at revision 0004" in result.output
    result = runner.invoke(app, ["db", "current", "--database-url", url])
    assert "current 0004, head 0004" in result.output
    result = runner.invoke(app, ["db", "downgrade", "base", "--database-url", url])
    assert result.exit_code == 0 and "revision None" in result.output
    assert migrate.current(url) is None


def test_db_upgrade_on_postgresql(postgres: Callable[[], str]) -> None:
    url = postgres()
    result = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert migrate.current(url) == "0004"


def test_the_database_url_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TICKETBOT_DATABASE_URL", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert (tmp_path / "ticketbot.db").is_file()  # the default: a SQLite file here
    monkeypatch.setenv("TICKETBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert migrate.current(f"sqlite:///{tmp_path / 'elsewhere.db'}") == "0004"


def _chat(url: str, lines: list[str]) -> list[str]:
    """``ticketbot chat`` with these lines piped in, at the service tests' fixed clock; its output lines."""
    clock = ["--now", "2026-11-26T10:00:00Z", "--device", "cpu"]
    completed = subprocess.run(
        [sys.executable, "-m", "service.cli", "chat", "--database-url", url, *clock],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        check=True,
    )
    return completed.stdout.splitlines()


def _booked(out: list[str]) -> tuple[str, list[str]]:
    """The "Booked!" reply and the booking block printed under it."""
    [at] = [i for i, line in enumerate(out) if line.startswith("bot> Booked! Your reference is ")]
    block = out[at + 1 :]
    assert block and all(line.startswith("     ") for line in block), block  # under the reply, to the end
    return out[at], [line.strip() for line in block]


def test_chat_reads_piped_lines_and_books(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    lines = ["hi", "i want to arrive in taipei on november 2nd", "no, make it the 3rd", "Mei-Ling Chen", "yes"]
    out = _chat(url, lines)
    assert out[0] == "bot> Hi! I can book you a flight. Where do you want to fly to?"
    assert [line for line in out if line.startswith("you> ")] == [f"you> {line}" for line in lines]
    reply, block = _booked(out)
    confirmation = out[out.index(reply) - 2]
    assert "Taipei (TPE, TSA), arriving on Wednesday, November 3, 2027" in confirmation
    assert "Mei-Ling Chen" in confirmation
    engine = make_engine(url)
    with engine.connect() as connection:
        [booking] = connection.execute(select(BookingRow.reference, BookingRow.destination_city)).all()
    engine.dispose()
    assert booking.destination_city == "Taipei" and booking.reference in reply
    assert block == [
        f"reference   {booking.reference} (confirmed)",
        "passenger   Mei-Ling Chen",
        "to          Taipei (TPE, TSA)",
        "arriving    Wednesday, November 3, 2027",
        "trip        one-way",
        "travellers  1 adult",
        "cabin       economy",
    ]


def test_chat_shows_every_part_of_a_round_trip(tmp_path: Path) -> None:
    """Issue 18's conversation: each part of the booking on a line of its own, the name included."""
    sentence = (
        "a round trip from Chicago to Lisbon for two in business, arriving by 9 am on the 12th and back on the 20th,"
        " nonstop if possible"
    )
    out = _chat(f"sqlite:///{tmp_path / 'chat.db'}", [sentence, "Ana Sousa", "yes"])
    reply, block = _booked(out)
    reference = block[0].split()[1]
    assert reference in reply
    assert block == [
        f"reference   {reference} (confirmed)",
        "passenger   Ana Sousa",
        "to          Lisbon (LIS)",
        "arriving    Saturday, December 12, 2026, by 9:00 am",
        "from        Chicago (ORD, MDW)",
        "trip        round trip",
        "returning   Sunday, December 20, 2026",
        "travellers  2 adults",
        "cabin       business",
        "stops       nonstop",
    ]


def test_chat_rejects_a_bad_clock(tmp_path: Path) -> None:
    result = runner.invoke(app, ["chat", "--database-url", f"sqlite:///{tmp_path / 'x.db'}", "--now", "soon"])
    assert result.exit_code == 2 and "--now must be an ISO date-time" in result.output


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_erase_removes_a_conversations_names(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """`ticketbot erase ID`: the operator's way to honour a customer's request, on either database."""
    url = f"sqlite:///{tmp_path / 'erase.db'}" if backend == "sqlite" else request.getfixturevalue("postgres")()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        sessions = make_sessions(engine)
        manager = DialogueManager(sessions=sessions, clock=lambda: NOW)
        conversation = manager.start()
        for text in SAYING_IT:
            send(manager, LexicalParser(), conversation_id=conversation.conversation_id, token=conversation.token,
                 text=text)  # fmt: skip
        send(manager, LexicalParser(), conversation_id=conversation.conversation_id, token=conversation.token,
             text="yes")  # fmt: skip
        assert NAME in everything_stored(sessions, conversation.conversation_id)

        result = runner.invoke(app, ["erase", conversation.conversation_id.upper(), "--database-url", url])
        assert result.exit_code == 0, result.output
        assert f"conversation {conversation.conversation_id}: personal data erased at" in result.output
        assert "(1 bookings and 5 turns changed now)" in result.output
        assert NAME_WORDS.search(everything_stored(sessions, conversation.conversation_id)) is None
        again = runner.invoke(app, ["erase", conversation.conversation_id, "--database-url", url])
        assert again.exit_code == 0 and "(0 bookings and 0 turns changed now)" in again.output
    finally:
        engine.dispose()


def test_erase_says_what_is_wrong(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'erase.db'}"
    result = runner.invoke(app, ["erase", "0" * 32, "--database-url", url])
    assert result.exit_code == 2 and "run `ticketbot db upgrade` first" in result.output
    migrate.upgrade(url)
    result = runner.invoke(app, ["erase", "0" * 32, "--database-url", url])
    assert result.exit_code == 2 and f"no conversation '{'0' * 32}'" in result.output
