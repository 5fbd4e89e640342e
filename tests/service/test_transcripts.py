"""Conversation transcripts, run through the manager with the bundled tagger on SQLite and PostgreSQL.

Each ``transcripts/*.txt`` file is one conversation, read top to bottom:

* ``# ...`` lines are comments; a ``clock: <ISO date-time>`` line before the first turn
  sets the conversation's clock (default: 2026-11-26T10:00:00Z, a Thursday);
* ``> text`` is what the customer says; ``{ref}`` in it is the newest booking's reference,
  ``{ref1}``, ``{ref2}`` ... the first, second ... booking of the conversation;
* the lines under it are expected after that turn. ``status``, ``destination``,
  ``origin``, ``arrival``, ``departure``, ``trip``, ``returning``, ``travellers``, ``cabin``,
  ``airline``, ``nonstop`` and ``traveller`` carry over to later turns until changed (``-``
  is empty), and all are checked after every turn. A city is ``Name``,
  ``Name (AIRPORTS)`` or ``Name (AIRPORTS) Zone``; a moment is ``DATE [HH:MM] [qualifier]``;
  travellers are ``ADULTS+CHILDREN``; an airline is its code; nonstop is ``yes`` or ``no``.
  ``missing`` is checked as given, or as the empty always-required slots (destination,
  arrival, traveller); ``reply: ~words``
  must appear in the reply (case-insensitive), ``reply: !words`` must not;
  ``booking: confirmed|cancelled`` is the booking the turn returned (default: none).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from model import Tagger
from service.dialogue import City
from service.manager import DialogueManager, TurnResult
from tests.service.conftest import NOW, send

FOLDER = Path(__file__).parent / "transcripts"
TRANSCRIPTS = sorted(FOLDER.glob("*.txt"))
CARRIED = (
    "status", "destination", "origin", "arrival", "departure", "trip", "returning", "travellers", "cabin", "airline",
    "nonstop", "traveller",
)  # fmt: skip
REQUIRED = ("destination", "arrival", "traveller")
"""What a booking needs, unless a transcript says otherwise; a dated departure stands in for the arrival."""


def _required(expected: dict[str, str]) -> list[str]:
    dated = expected["departure"][:1].isdigit()  # "2027-11-02", not "-" nor a time alone
    return [slot for slot in REQUIRED if expected[slot] == "-" and not (slot == "arrival" and dated)]


@dataclass
class Turn:
    line: int
    text: str
    expect: dict[str, str] = field(default_factory=dict)
    replies: list[str] = field(default_factory=list)


@dataclass
class Transcript:
    clock: dt.datetime
    turns: list[Turn]


def read(path: Path) -> Transcript:
    clock, turns = NOW, []
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(">"):
            turns.append(Turn(number, line[1:].strip()))
            continue
        key, _, value = (part.strip() for part in line.partition(":"))
        if key == "clock" and not turns:
            clock = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif not turns or not value:
            raise ValueError(f"{path.name}:{number}: expected '> text' or 'key: value', got {raw!r}")
        elif key == "reply":
            turns[-1].replies.append(value)
        elif key in (*CARRIED, "missing", "booking"):
            turns[-1].expect[key] = value
        else:
            raise ValueError(f"{path.name}:{number}: unknown key {key!r}")
    if not turns:
        raise ValueError(f"{path.name}: no turns")
    return Transcript(clock, turns)


def _city(value: City | None, expected: str) -> str:
    if value is None:
        return "-"
    text = value.city
    if "(" in expected:
        text += f" ({', '.join(value.airports)})"
    if re.search(r"\)\s+\S+/\S+$", expected):
        text += f" {value.timezone}"
    return text


def _moment(value) -> str:
    if value is None:
        return "-"
    parts = [value.date.isoformat() if value.date else "-"]
    if value.time is not None:
        parts.append(value.time.strftime("%H:%M"))
    if value.qualifier is not None:
        parts.append(value.qualifier)
    return " ".join(parts)


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)


def observed(result: TurnResult, expected: dict[str, str]) -> dict[str, str]:
    slots = result.slots
    travellers = slots.travellers
    return {
        "status": result.status,
        "destination": _city(slots.destination, expected["destination"]),
        "origin": _city(slots.origin, expected["origin"]),
        "arrival": _moment(slots.arrival),
        "departure": _moment(slots.departure),
        "trip": _or_dash(slots.trip),
        "returning": _moment(slots.returning),
        "travellers": "-" if travellers is None else f"{travellers.adults}+{travellers.children}",
        "cabin": _or_dash(slots.cabin),
        "airline": "-" if slots.airline is None else slots.airline.code,
        "nonstop": "-" if slots.nonstop is None else ("yes" if slots.nonstop else "no"),
        "traveller": _or_dash(slots.traveller),
        "missing": ", ".join(result.missing) or "-",
        "booking": result.booking.status if result.booking else "-",
    }


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_transcript(path: Path, tagger: Tagger, sessions: sessionmaker[Session]) -> None:
    transcript = read(path)
    manager = DialogueManager(sessions=sessions, clock=lambda: transcript.clock)
    conversation = manager.start()
    expected = {key: "-" for key in CARRIED} | {"status": "collecting"}
    references: list[str] = []
    for turn in transcript.turns:
        text = re.sub(r"\{ref(\d*)\}", lambda m: references[int(m.group(1)) - 1 if m.group(1) else -1], turn.text)
        result = send(manager, tagger, conversation_id=conversation.conversation_id, token=conversation.token,
                       text=text)
        if result.booking is not None and result.booking.reference not in references:
            references.append(result.booking.reference)
        expected.update({k: v for k, v in turn.expect.items() if k in CARRIED})
        wanted = {**expected, "booking": turn.expect.get("booking", "-")}
        wanted["missing"] = turn.expect.get("missing") or ", ".join(_required(expected)) or "-"
        seen = observed(result, expected)
        where = f"{path.name}:{turn.line} > {text}\n  bot: {result.reply}\n"
        assert seen == wanted, where + f"  tags: {[(t.token, t.tag) for t in result.understood.tags]}"
        for reply in turn.replies:
            words = reply[1:].strip().lower()
            if reply.startswith("!"):
                assert words not in result.reply.lower(), where + f"  should not say: {words}"
            else:
                assert reply.startswith("~"), f"{path.name}:{turn.line}: reply expectations start with ~ or !"
                assert words in result.reply.lower(), where + f"  should say: {words}"


def test_there_are_enough_transcripts() -> None:
    assert len(TRANSCRIPTS) >= 30
    for path in TRANSCRIPTS:
        read(path)
