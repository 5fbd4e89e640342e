"""The retry policy on its own, and transactions on a real database: what is retried, how often,
and what a failed unit of work leaves behind (nothing)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service.errors import CommitOutcomeUnknown, StorageUnavailable
from service.storage.tables import ConversationRow
from service.storage.transactions import RetryPolicy, Transactions


class _Coded(Exception):
    """A driver error carrying a SQLSTATE, as psycopg's do."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _operational(message: str, sqlstate: str | None = None) -> OperationalError:
    return OperationalError("UPDATE conversations ...", {}, _Coded(message, sqlstate))


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (StaleDataError("conversation x is no longer at version 3"), True),
        (IntegrityError("INSERT INTO bookings", {}, Exception("UNIQUE constraint failed: bookings.reference")), True),
        (_operational("could not serialize access", "40001"), True),
        (_operational("deadlock detected", "40P01"), True),
        (OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")), True),
        (_operational("connection refused", "08001"), False),
        (OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full")), False),
        (_operational("attempt to write a readonly database"), False),
    ],
)
def test_what_the_policy_retries(error: Exception, retried: bool) -> None:
    assert RetryPolicy.retryable(error) is retried


def test_the_wait_grows_and_is_jittered() -> None:
    policy, rng = RetryPolicy(attempts=8, base_delay_s=0.01), random.Random(3)
    for attempt in range(1, 8):
        waits = [policy.delay(attempt, rng) for _ in range(200)]
        assert all(0 <= w <= 0.01 * 2**attempt for w in waits)
        assert max(waits) > 0.5 * 0.01 * 2**attempt  # spread over the whole window, not a fixed step
        assert len(set(waits)) == len(waits)


class _Attempts:
    """An attempt that raises the given errors in turn, then returns "done"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def _transactions(sessions: sessionmaker[Session] | None = None, attempts: int = 4) -> tuple[Transactions, list]:
    slept: list[float] = []
    return Transactions(sessions, RetryPolicy(attempts=attempts), sleep=slept.append), slept  # type: ignore[arg-type]


def test_conflicts_are_retried_until_the_attempt_succeeds() -> None:
    transactions, slept = _transactions()
    attempt = _Attempts(StaleDataError("stale"), _operational("deadlock detected", "40P01"))
    assert transactions.retrying(attempt) == "done"
    assert attempt.calls == 3 and len(slept) == 2


def test_a_conflict_that_never_clears_is_busy_after_every_attempt() -> None:
    transactions, slept = _transactions(attempts=4)
    attempt = _Attempts(*[StaleDataError("stale")] * 10)
    with pytest.raises(StorageUnavailable, match="busy"):
        transactions.retrying(attempt)
    assert attempt.calls == 4 and len(slept) == 3


@pytest.mark.parametrize(
    "error",
    [_operational("connection refused", "08001"), CommitOutcomeUnknown("the database went away while saving")],
)
def test_unavailable_or_unknown_outcomes_are_not_retried(error: Exception) -> None:
    transactions, slept = _transactions()
    attempt = _Attempts(error)
    with pytest.raises(StorageUnavailable) as raised:
        transactions.retrying(attempt)
    assert attempt.calls == 1 and slept == []
    assert isinstance(raised.value, CommitOutcomeUnknown) == isinstance(error, CommitOutcomeUnknown)


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ConversationRow)) or 0


def _insert(conversation_id: str) -> Callable[[Session], str]:
    def work(session: Session) -> str:
        session.execute(
            text("INSERT INTO conversations (id, token_hash, state, status, version, created_at, updated_at) "
                 "VALUES (:id, :h, '{}', 'collecting', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"id": conversation_id, "h": "0" * 64},
        )  # fmt: skip
        return conversation_id

    return work


def test_a_unit_of_work_commits_whole_or_not_at_all(sessions: sessionmaker[Session]) -> None:
    transactions, _ = _transactions(sessions)
    before = _count(sessions)
    assert transactions.run(_insert("a" * 32)) == "a" * 32
    assert _count(sessions) == before + 1

    def half_done(session: Session) -> None:
        _insert("b" * 32)(session)
        raise RuntimeError("the policy crashed halfway")

    with pytest.raises(RuntimeError):
        transactions.run(half_done)
    assert _count(sessions) == before + 1  # the first insert of the failed unit rolled back
    with pytest.raises(StorageUnavailable):  # the same id again: a conflict every time, then "busy"
        transactions.run(_insert("a" * 32))
    assert _count(sessions) == before + 1
