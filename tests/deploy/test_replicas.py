"""Two replicas on one PostgreSQL database, started the way docker-compose.yml starts them.

The commands of the compose file's ``migrate`` and ``app`` services (as Docker Compose
resolves them) run here as real processes: ``ticketbot db upgrade`` once, then two
``ticketbot serve ... --no-migrate`` on two loopback ports, from the package as the image
installs it (the wheel built from the files the Dockerfile copies) and with the ``app``
service's environment. Only what the containers' surroundings decide is replaced: the
database URL (a fresh test database instead of ``db``), the address (127.0.0.1 and a free
port instead of 0.0.0.0:8000), an admin key, rate limits a test can live with, and the
local Redis for counting them across replicas (the compose file's ``redis`` option).

Conversations then alternate between the replicas, with pairs of messages sent to one
conversation at the same moment on different replicas, and confirmations repeated on both
with one Idempotency-Key. The database alone keeps order: every booking is made once, no
turn is lost, and the state holds every update.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import select

from service.storage import make_engine, migrate
from service.storage.tables import BookingRow, ConversationRow, TurnRow
from tests.ports import free_port

from .support import clean_environment, compose_config, dockerfile, run, tool

REDIS_URL = os.environ.get("TICKETBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Above the 10 messages a test conversation sends, so only the limit test reaches it.
CONVERSATION_LIMIT = 12
STARTUP_TIMEOUT_S = 300  # two processes importing torch and loading the tagger on a busy 2-core machine
REQUEST_TIMEOUT_S = 60
CONVERSATIONS = 8


@dataclass
class Replica:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@dataclass
class Deployment:
    replicas: list[Replica]
    database_url: str
    admin_key: str
    environment: dict[str, str]
    workdir: Path


def _executable(command: list[str]) -> list[str]:
    """The container's command, with ``ticketbot`` the console script installed here."""
    assert command[0] == "ticketbot", command
    return [tool("ticketbot"), *command[1:]]


def _on_port(command: list[str], port: int) -> list[str]:
    """The app service's command, listening on 127.0.0.1:port instead of 0.0.0.0:8000."""
    command = list(command)
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    return command


def _defined(environment: dict[str, str | None]) -> dict[str, str]:
    return {key: str(value) for key, value in environment.items() if value is not None}


def _require_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({error}); the replica tests need it", pytrace=False)


def _wait_ready(replica: Replica, deadline: float) -> None:
    while True:
        if replica.process.poll() is not None:
            pytest.fail(f"replica {replica.url} exited with {replica.process.returncode}:\n{replica.log_tail()}")
        try:
            if httpx.get(f"{replica.url}/readyz", timeout=5, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"replica {replica.url} not ready after {STARTUP_TIMEOUT_S} s:\n{replica.log_tail()}")
        time.sleep(0.5)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def deployment(postgres, site_packages: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    _require_redis()
    services = compose_config()["services"]
    database_url = postgres()
    workdir = tmp_path_factory.mktemp("replicas")
    installed = {**clean_environment(), "PYTHONPATH": str(site_packages)}

    # the migrate service: once, before any replica starts
    migrate_environment = {
        **installed, **_defined(services["migrate"]["environment"]), "TICKETBOT_DATABASE_URL": database_url,
    }  # fmt: skip
    completed = run(_executable(services["migrate"]["command"]), env=migrate_environment, cwd=workdir, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert migrate.current(database_url) == migrate.head()

    # the app service, twice
    admin_key = secrets.token_urlsafe(24)
    environment = {
        **installed,
        **_defined(services["app"]["environment"]),
        "TICKETBOT_DATABASE_URL": database_url,
        "TICKETBOT_ADMIN_KEY": admin_key,
        "TICKETBOT_RATE_LIMIT_CLIENT": "100000/minute",
        "TICKETBOT_RATE_LIMIT_CONVERSATION": f"{CONVERSATION_LIMIT}/minute",
        "TICKETBOT_RATE_LIMIT_STORAGE": REDIS_URL,
    }
    replicas: list[Replica] = []
    try:
        for index in range(2):
            port = free_port()
            log = workdir / f"replica-{index}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen(
                    _executable(_on_port(services["app"]["command"], port)),
                    env=environment, cwd=workdir, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                )  # fmt: skip
            replicas.append(Replica(f"http://127.0.0.1:{port}", process, log))
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        for replica in replicas:
            _wait_ready(replica, deadline)
        yield Deployment(replicas, database_url, admin_key, environment, workdir)
    finally:
        for replica in replicas:
            _stop(replica.process)


class Chat:
    """One conversation, spoken to through both replicas (0 and 1)."""

    def __init__(self, deployment: Deployment, first: int) -> None:
        self.clients = [
            httpx.Client(base_url=r.url, timeout=REQUEST_TIMEOUT_S, trust_env=False) for r in deployment.replicas
        ]
        started = self.clients[first].post("/api/v1/conversations")
        assert started.status_code == 201, started.text
        body = started.json()
        self.id, self.token = body["conversation_id"], body["token"]
        self.answers: list[tuple[str, dict]] = []  # (text, response body) of every message sent
        self._lock = threading.Lock()

    def post(self, replica: int, text: str, key: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key or uuid.uuid4().hex}
        return self.clients[replica].post(f"/api/v1/conversations/{self.id}/messages", json={"text": text},
                                          headers=headers)  # fmt: skip

    def send(self, replica: int, text: str, key: str | None = None) -> dict:
        response = self.post(replica, text, key)
        assert response.status_code == 200, (replica, text, response.status_code, response.text)
        with self._lock:
            self.answers.append((text, response.json()))
        return response.json()

    def together(self, *messages: tuple[int, str] | tuple[int, str, str]) -> list[dict]:
        """Send the messages at the same moment, each to its replica."""
        barrier = threading.Barrier(len(messages))

        def go(message: tuple) -> dict:
            barrier.wait(timeout=60)
            return self.send(*message)

        with ThreadPoolExecutor(len(messages)) as pool:
            return list(pool.map(go, messages))

    def view(self, replica: int) -> dict:
        response = self.clients[replica].get(f"/api/v1/conversations/{self.id}",
                                             headers={"Authorization": f"Bearer {self.token}"})  # fmt: skip
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        for client in self.clients:
            client.close()


def _arrival() -> dt.date:
    return dt.datetime.now(dt.UTC).date() + dt.timedelta(days=45)


def _book_and_cancel(deployment: Deployment, index: int) -> tuple[str, str]:
    """One conversation, every message racing another one on the other replica.
    Returns (conversation id, booking reference)."""
    a, b = index % 2, 1 - index % 2
    chat = Chat(deployment, first=a)
    arrival = _arrival()
    try:
        # two slots (and the traveller's name) at once: all land, whichever turn comes first
        chat.together((a, "fly to denver"), (b, "from boston, the name is Ana Sousa"))
        view = chat.view(b)
        assert (view["slots"]["destination"]["city"], view["slots"]["origin"]["city"]) == ("Denver", "Boston")
        assert view["status"] == "collecting" and view["missing"] == ["arrival"]

        chat.together((b, f"arriving on {arrival:%B} {arrival.day}"), (a, "actually from chicago"))
        view = chat.view(a)
        assert view["status"] == "confirming" and view["missing"] == []
        assert view["slots"]["origin"]["city"] == "Chicago" and view["slots"]["arrival"]["date"] == arrival.isoformat()

        chat.together((a, "no, to atlanta"), (b, "make it 9 am"))
        view = chat.view(b)
        assert view["status"] == "confirming"
        assert view["slots"]["destination"]["city"] == "Atlanta" and view["slots"]["arrival"]["time"] == "09:00"

        if index % 2 == 0:  # one confirmation, sent to both replicas at once with one key: one answer
            key = f"confirm-{uuid.uuid4().hex}"
            first, second = chat.together((a, "yes", key), (b, "yes", key))
            assert first == second and first["status"] == "booked" and first["booking"]["status"] == "confirmed"
            booking = first["booking"]
        else:  # two confirmations (two keys) at once: the first books, the second finds it booked
            answers = chat.together((a, "yes"), (b, "yes"))
            assert [r["status"] for r in answers] == ["booked", "booked"]
            [booking] = [r["booking"] for r in answers if r["booking"] is not None]
        reference = booking["reference"]
        assert booking["destination"]["city"] == "Atlanta" and booking["origin"]["city"] == "Chicago"
        assert booking["arrival"] == {"date": arrival.isoformat(), "time": "09:00", "qualifier": "at", "period": None}

        cancelled = chat.together((b, f"cancel {reference}"), (a, f"cancel {reference}"))
        assert sorted("already cancelled" in r["reply"] for r in cancelled) == [False, True]
        assert all(r["booking"]["status"] == "cancelled" for r in cancelled)

        _check_transcript(chat, chat.view(a), same_key=index % 2 == 0)
        return chat.id, reference
    finally:
        chat.close()


def _check_transcript(chat: Chat, view: dict, *, same_key: bool) -> None:
    """Every message is one turn, in the order of the rounds, with the reply its sender got."""
    turns = view["turns"]
    assert [t["seq"] for t in turns] == list(range(len(turns))), "seq is contiguous"
    assert turns[0]["user"] is None  # the greeting
    confirmations = 1 if same_key else 2
    rounds = [2, 2, 2, confirmations, 2]
    assert len(turns) == 1 + sum(rounds), [t["user"] for t in turns]
    sent: Counter[tuple[str, str]] = Counter((text, body["reply"]) for text, body in chat.answers)
    if same_key:  # the replayed answer was sent twice, recorded once
        sent -= Counter({("yes", next(b["reply"] for t, b in chat.answers if t == "yes")): 1})
    assert Counter((t["user"], t["reply"]) for t in turns[1:]) == sent
    position = 1
    for size, words in zip(rounds, [("denver", "boston"), ("arriving", "chicago"), ("atlanta", "9 am"), ("yes",),
                                    ("cancel",)], strict=True):  # fmt: skip
        block = [t["user"] for t in turns[position : position + size]]
        assert all(any(w in text for w in words) for text in block), (block, words)
        position += size


def test_replicas_run_the_images_package_and_pass_its_health_check(deployment: Deployment) -> None:
    located = run([sys.executable, "-c", "import model, service; print(model.__file__); print(service.__file__)"],
                  env=deployment.environment, cwd=deployment.workdir)  # fmt: skip
    site = deployment.environment["PYTHONPATH"]
    assert all(line.startswith(site) for line in located.stdout.split()), located.stdout + located.stderr
    [probe] = [i.json_arguments(after="CMD") for i in dockerfile() if i.keyword == "HEALTHCHECK"]
    assert probe[:2] == ["python", "-c"] and "127.0.0.1:8000" in probe[2]
    for replica in deployment.replicas:
        ready = httpx.get(f"{replica.url}/readyz", trust_env=False, timeout=30)
        assert ready.json() == {"status": "ready", "database": True, "tagger": True, "device": "cpu"}
        address = replica.url.removeprefix("http://")
        healthy = run([sys.executable, "-c", probe[2].replace("127.0.0.1:8000", address)], timeout=30)
        assert healthy.returncode == 0, healthy.stderr
    nobody = run([sys.executable, "-c", probe[2].replace("127.0.0.1:8000", f"127.0.0.1:{free_port()}")], timeout=30)
    assert nobody.returncode != 0, "the probe fails when nothing answers"


def test_conversations_alternating_between_replicas_book_once_and_lose_nothing(deployment: Deployment) -> None:
    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(lambda i: _book_and_cancel(deployment, i), range(CONVERSATIONS)))
    references = {conversation: reference for conversation, reference in made}
    assert len(references) == CONVERSATIONS and len(set(references.values())) == CONVERSATIONS

    engine = make_engine(deployment.database_url)
    try:
        with engine.connect() as connection:
            bookings = connection.execute(
                select(BookingRow.conversation_id, BookingRow.reference, BookingRow.status, BookingRow.cancelled_at)
            ).all()
            turns = connection.execute(select(TurnRow.conversation_id, TurnRow.seq, TurnRow.idempotency_key)).all()
            conversations = connection.execute(
                select(ConversationRow.id, ConversationRow.version, ConversationRow.state, ConversationRow.status)
            ).all()
    finally:
        engine.dispose()

    # every booking exactly once, and the one each conversation was told about
    assert sorted((b.conversation_id, b.reference) for b in bookings) == sorted(references.items())
    assert all(b.status == "cancelled" and b.cancelled_at is not None for b in bookings)
    # no update lost: each turn saved the state once (the version counts the writes), in seq order
    for conversation in conversations:
        seqs = sorted(t.seq for t in turns if t.conversation_id == conversation.id)
        assert seqs == list(range(len(seqs)))
        assert conversation.version == len(seqs), "one state write per turn"
        assert conversation.state["turns"] == len(seqs) - 1 and conversation.status == "cancelled"
    keys = Counter(t.idempotency_key for t in turns if t.idempotency_key and t.idempotency_key.startswith("confirm-"))
    assert len(keys) == CONVERSATIONS // 2 and set(keys.values()) == {1}, "a repeated key is one turn"

    # the admin API, on either replica, lists the same bookings
    for replica in deployment.replicas:
        listed = httpx.get(f"{replica.url}/api/v1/bookings", params={"limit": 1000},
                           headers={"X-Admin-Key": deployment.admin_key}, trust_env=False, timeout=30)  # fmt: skip
        assert listed.status_code == 200, listed.text
        assert sorted(b["reference"] for b in listed.json()) == sorted(references.values())


def test_rate_limits_are_counted_once_for_both_replicas(deployment: Deployment) -> None:
    """With TICKETBOT_RATE_LIMIT_STORAGE=redis://..., the per-conversation limit holds across
    replicas: alternating between them does not double it."""
    chat = Chat(deployment, first=0)
    try:
        statuses = [chat.post(i % 2, "hello").status_code for i in range(CONVERSATION_LIMIT + 1)]
    finally:
        chat.close()
    assert statuses == [200] * CONVERSATION_LIMIT + [429]


def test_a_pg_dump_of_the_live_database_restores_whole(deployment: Deployment, postgres, tmp_path: Path) -> None:
    """The README's backup: pg_dump's custom format while the replicas run, pg_restore into an
    empty database (the same flags; compose runs them inside the db container)."""
    libpq = deployment.database_url.replace("postgresql+psycopg://", "postgresql://")
    dump = tmp_path / "ticketbot.dump"
    dumped = run([tool("pg_dump"), "-d", libpq, "--format=custom", "-f", str(dump)], timeout=300)
    assert dumped.returncode == 0, dumped.stderr
    restored_url = postgres()
    restored = run([tool("pg_restore"), "-d", restored_url.replace("postgresql+psycopg://", "postgresql://"), "--clean",
                    "--if-exists", "--no-owner", str(dump)], timeout=300)  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert migrate.current(restored_url) == migrate.head()

    def contents(url: str) -> tuple[list, list]:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                bookings = connection.execute(select(BookingRow.reference, BookingRow.status)).all()
                turns = connection.execute(select(TurnRow.conversation_id, TurnRow.seq, TurnRow.reply)).all()
        finally:
            engine.dispose()
        return sorted(bookings), sorted(turns)

    assert contents(restored_url) == contents(deployment.database_url)
    assert contents(restored_url)[0], "the dump holds the bookings the conversations made"
