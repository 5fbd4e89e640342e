"""Transactions with retries: the one place that knows which database errors are worth another try.

A turn is read, worked out and written in short transactions; a conflict (another writer
got there first: a stale version, a taken booking reference, PostgreSQL's serialization
failure or deadlock, SQLite's "database is locked") makes the whole attempt run again from
a fresh read, after a short jittered wait. Anything else means the database is unavailable
(``StorageUnavailable``), and a connection lost during the COMMIT itself means nobody knows
whether it landed (``CommitOutcomeUnknown``, never retried: a replayed turn would apply twice).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ..errors import CommitOutcomeUnknown, StorageUnavailable
from .database import READ_ONLY

__all__ = ["RetryPolicy", "Transactions"]

log = logging.getLogger(__name__)
T = TypeVar("T")

# PostgreSQL: serialization failure, deadlock detected.
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often, and how patiently, an attempt is run again after a conflict."""

    attempts: int = 8
    base_delay_s: float = 0.01
    """The n-th retry waits a uniform random time up to ``base_delay_s * 2**n``."""

    @staticmethod
    def retryable(error: Exception) -> bool:
        """A conflict with another writer, which a fresh attempt resolves."""
        if isinstance(error, (StaleDataError, IntegrityError)):
            return True
        if isinstance(error, OperationalError):
            message = str(error.orig).lower()
            sqlstate = getattr(error.orig, "sqlstate", None)
            return sqlstate in _RETRY_SQLSTATES or "database is locked" in message or "busy" in message
        return False

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        return (rng or random).uniform(0, self.base_delay_s * 2**attempt)


class Transactions:
    """Runs units of work, each in one transaction of its own session."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.sessions = sessions
        self.policy = policy or RetryPolicy()
        self.sleep = sleep

    def retrying(self, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` (which may span several transactions) again after a conflict; give up
        with ``StorageUnavailable`` once the policy's attempts are spent, or at once on any
        other database error."""
        for number in range(1, self.policy.attempts + 1):
            try:
                return attempt()
            except (StaleDataError, DBAPIError) as error:
                if not self.policy.retryable(error):
                    # the driver's own words (disk full, read-only, connection refused), never the statement
                    cause = getattr(error, "orig", None) or error
                    log.warning("database unavailable: %s: %s", type(cause).__name__, str(cause).strip()[:300])
                    raise StorageUnavailable("the database is unavailable") from error
                log.info("turn conflict (%s), attempt %d: retrying", type(error).__name__, number)
                if number == self.policy.attempts:
                    raise StorageUnavailable("the conversation is busy; try again") from error
                self.sleep(self.policy.delay(number))
        raise AssertionError("unreachable")  # pragma: no cover

    def once(self, work: Callable[[Session], T], *, read_only: bool = False) -> T:
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

    def run(self, work: Callable[[Session], T], *, read_only: bool = False) -> T:
        """One transaction, retried after conflicts."""
        return self.retrying(lambda: self.once(work, read_only=read_only))
