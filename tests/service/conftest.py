"""Fixtures for the service tests: a fixed clock, parses built by hand, and real databases.

Storage tests run on SQLite *and* on the local PostgreSQL server. Each test session
creates its own uniquely named PostgreSQL databases and drops them at the end, so runs
never collide; when the server is unreachable the tests fail (CI guarantees it is up).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from model import Parse, Span, Tagger, tokenize
from service.inference import Parser
from service.manager import DialogueManager, TurnResult
from service.storage import make_engine, make_sessions, migrate

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
"""The conversation clock of every test: Thursday, November 26, 2026, 10:00 UTC."""

# The test server: override with TICKETBOT_TEST_POSTGRES_URL (an admin URL; databases are created beside it).
POSTGRES_ADMIN_URL = os.environ.get("TICKETBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"

_MARK = re.compile(r"\[([^\]|]+)\|([^\]|]+)(?:\|([0-9.]+))?\]")


def tagged(markup: str, intent: str = "atis_flight") -> Parse:
    """A parse written by hand: ``"fly to [denver|toloc.city_name] [tomorrow|arrive_date.today_relative|0.4]"``.

    Unmarked words are ``O``; a mark's optional third field is its confidence (default 1).
    """
    tokens: list[str] = []
    tags: list[str] = []
    spans: list[Span] = []
    position = 0
    for match in [*_MARK.finditer(markup), None]:
        plain = markup[position : match.start() if match else len(markup)]
        words = tokenize(plain)
        tokens += words
        tags += ["O"] * len(words)
        if match is None:
            break
        words = tokenize(match.group(1))
        slot, confidence = match.group(2), float(match.group(3) or 1.0)
        spans.append(Span(slot, " ".join(words), len(tokens), len(tokens) + len(words), confidence))
        tags += [f"B-{slot}"] + [f"I-{slot}"] * (len(words) - 1)
        tokens += words
        position = match.end()
    return Parse(tokens, tags, spans, intent if tokens else "", 1.0 if tokens else 0.0)


class LexicalParser:
    """A stand-in tagger that tags nothing: the dialogue must still work from words and context."""

    def parse(self, texts: Sequence[str]) -> list[Parse]:
        return [tagged(text.replace("[", "(").replace("]", ")")) for text in texts]


def send(manager: DialogueManager, parser: Parser, *, conversation_id: str, token: str, text: str,
          idempotency_key: str | None = None) -> TurnResult:
    """A message through ``parser`` and then the manager, as the API and ``ticketbot chat`` send it."""
    began = time.perf_counter()
    [parse] = parser.parse([text.strip()])
    return manager.reply(
        conversation_id=conversation_id, token=token, text=text, parse=parse, idempotency_key=idempotency_key,
        tagger_ms=1000 * (time.perf_counter() - began),
    )

@pytest.fixture(scope="session")
def tagger() -> Tagger:
    """The bundled ATIS tagger, loaded once."""
    return Tagger.load(device="cpu")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty PostgreSQL databases (dropped when the session ends)."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except OperationalError as error:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({error.orig}); the storage tests need it. "
            f"Start it with: {START_POSTGRES}",
            pytrace=False,
        )
    created: list[str] = []

    def create() -> str:
        name = f"ticketbot_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    yield create
    with admin.connect() as connection:
        for name in created:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def fresh_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of the test's backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'ticketbot.db'}"
    return request.getfixturevalue("postgres")()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def _migrated_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {}


@pytest.fixture
def migrated_url(backend: str, request: pytest.FixtureRequest, _migrated_urls: dict[str, str]) -> str:
    """A database of the test's backend at the newest revision, shared by the session's tests
    (each test works in conversations of its own)."""
    if backend not in _migrated_urls:
        if backend == "sqlite":
            folder = request.getfixturevalue("tmp_path_factory").mktemp("sqlite")
            url = f"sqlite:///{folder / 'ticketbot.db'}"
        else:
            url = request.getfixturevalue("postgres")()
        migrate.upgrade(url)
        _migrated_urls[backend] = url
    return _migrated_urls[backend]


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessions(engine)


@pytest.fixture
def manager(sessions: sessionmaker[Session]) -> DialogueManager:
    """A manager on the test database with the lexical stand-in tagger and the fixed clock."""
    return DialogueManager(sessions=sessions, clock=lambda: NOW)
