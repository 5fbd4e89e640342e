"""Engines and sessions: one place that knows how SQLite and PostgreSQL differ.

Concurrent turns of one conversation are serialised by the database: PostgreSQL locks the
conversation's row (``SELECT ... FOR UPDATE``, or the version-checked ``UPDATE``); SQLite
has no row locks, so every writing transaction starts with ``BEGIN IMMEDIATE`` and takes
the database's write lock up front (waiting up to the busy timeout) instead of failing
halfway. The conversation's version column catches anything that slips past either
(another database, a hand-made session).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

__all__ = ["READ_ONLY", "make_engine", "make_sessions", "normalise_url"]

SQLITE_BUSY_TIMEOUT_S = 30.0
READ_ONLY_OPTION = "ticketbot_read_only"
READ_ONLY = {READ_ONLY_OPTION: True}
"""Execution options of a transaction that only reads: on SQLite it starts without the write lock."""


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3, the driver ticketbot installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, sqlite_synchronous: str = "FULL", **options: Any) -> Engine:
    """An engine for a ticketbot database URL, set up for that database's locking.

    ``sqlite_synchronous`` is SQLite's ``PRAGMA synchronous`` (``FULL``, its default, or ``NORMAL``):
    how many fsyncs a commit waits for; other databases ignore it."""
    if sqlite_synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"sqlite_synchronous must be FULL or NORMAL, not {sqlite_synchronous!r}")
    url = normalise_url(url)
    parsed = make_url(url)
    # a failed statement's message leaves its values out: they hold what customers typed, and
    # traveller names, which must never reach a log line or a traceback
    options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **options)
    memory = parsed.database in (None, "", ":memory:")
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
    if memory:  # one shared connection, or every session would see its own empty database
        options.setdefault("poolclass", StaticPool)
    engine = create_engine(url, connect_args=connect_args, **options)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA synchronous = {sqlite_synchronous}")
        cursor.close()

    writer = _WriterLock(None if memory else f"{parsed.database}.writers")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # readers take no lock (WAL lets them read beside a writer); writers take it up front
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
            return
        if not writer.acquire(SQLITE_BUSY_TIMEOUT_S):
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
        connection.info["ticketbot_writer"] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection)
            raise

    def _release(connection: Any) -> None:
        if connection.info.pop("ticketbot_writer", False):
            writer.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)

    return engine


class _WriterLock:
    """Where a SQLite database's writers queue before asking SQLite for its write lock.

    A writer waiting in SQLite's busy handler sleeps in steps of up to 100 ms and retries,
    which under load turns a 0.2 ms commit into a wait of hundreds, and leaves the
    database idle meanwhile. Here the threads of one process queue on a mutex, and the
    processes (``ticketbot serve --workers N``) on an exclusive ``flock`` of a file beside
    the database: both hand over the moment the previous writer is done. Processes that do
    not take it (a backup, the ``sqlite3`` shell) still meet the busy handler, as before.
    """

    def __init__(self, path: str | None) -> None:
        self._threads = threading.Lock()
        self._path = path
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int | None:
        if self._path is None:
            return None
        if self._fd is None or self._pid != os.getpid():  # a forked child opens its own
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        return self._fd

    def acquire(self, timeout: float) -> bool:
        if not self._threads.acquire(timeout=timeout):
            return False
        try:
            fd = self._file()
        except OSError:  # a read-only folder: SQLite's own locking still holds
            return True
        if fd is None:
            return True
        # Blocking: the kernel wakes a waiting process the moment the holder lets go (a polling
        # waiter would lose the race to the holder's own next writer, again and again). No
        # timeout is needed across processes: every holder is one short transaction that ends
        # in a commit or a rollback, and a holder that dies lets go with its file.
        fcntl.flock(fd, fcntl.LOCK_EX)
        return True

    def release(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def __del__(self) -> None:  # the engine is gone: so is its file descriptor
        if self._fd is not None and self._pid == os.getpid():
            with contextlib.suppress(OSError):
                os.close(self._fd)


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (results are built from them)."""
    return sessionmaker(engine, expire_on_commit=False)
