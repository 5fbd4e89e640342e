"""Engines and sessions: one place that knows how SQLite and PostgreSQL differ.

Concurrent turns of one conversation are serialised by the database: PostgreSQL locks the
conversation's row (``SELECT ... FOR UPDATE``); SQLite has no row locks, so every
transaction starts with ``BEGIN IMMEDIATE`` and takes the database's write lock up front
(waiting up to the busy timeout) instead of failing halfway. The conversation's version
column catches anything that slips past either (another database, a hand-made session).
"""

from __future__ import annotations

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


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for a ticketbot database URL, set up for that database's locking."""
    url = normalise_url(url)
    parsed = make_url(url)
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
        cursor.close()

    # Writers of this process queue on a lock before asking SQLite for its write lock: a
    # thread waiting in SQLite's busy handler sleeps in steps of up to 100 ms and retries,
    # which under load turns a 2 ms commit into a wait of hundreds; a thread waiting here
    # wakes the moment the previous writer is done. (Other processes still meet the busy
    # handler, as before.)
    writer = threading.Lock()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # readers take no lock (WAL lets them read beside a writer); writers take it up front
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
            return
        if not writer.acquire(timeout=SQLITE_BUSY_TIMEOUT_S):
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


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (results are built from them)."""
    return sessionmaker(engine, expire_on_commit=False)
