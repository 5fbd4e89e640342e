"""The SQLite engine: how many fsyncs a commit waits for, and writers in several processes at once."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from service.settings import Settings
from service.storage import make_engine
from service.storage.database import READ_ONLY

# PRAGMA synchronous reads back as a number
_LEVELS = {"NORMAL": 1, "FULL": 2}


@pytest.mark.parametrize("level", ["FULL", "NORMAL"])
def test_the_synchronous_setting_reaches_every_connection(tmp_path: Path, level: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sync.db'}", sqlite_synchronous=level)
    try:
        # two pooled connections at once (reading: a second writer would wait for the first)
        with engine.connect().execution_options(**READ_ONLY) as first, \
                engine.connect().execution_options(**READ_ONLY) as second:  # fmt: skip
            for connection in (first, second):
                assert connection.execute(text("PRAGMA synchronous")).scalar() == _LEVELS[level]
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_full_is_the_default_and_nothing_else_is_accepted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Settings().sqlite_synchronous == "FULL"
    engine = make_engine(f"sqlite:///{tmp_path / 'default.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == _LEVELS["FULL"]
    engine.dispose()
    with pytest.raises(ValueError, match="FULL or NORMAL"):
        make_engine(f"sqlite:///{tmp_path / 'x.db'}", sqlite_synchronous="OFF")
    monkeypatch.setenv("TICKETBOT_SQLITE_SYNCHRONOUS", "OFF")  # durability off is not on offer
    with pytest.raises(ValidationError):
        Settings()


def _count_up(url: str, times: int, start: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    """Read-modify-write of one counter, in threads of their own, like the server's writers."""
    engine = make_engine(url)
    start.wait()

    def writer() -> None:
        for _ in range(times):
            with engine.begin() as connection:
                value = connection.execute(text("SELECT value FROM counter")).scalar_one()
                connection.execute(text("UPDATE counter SET value = :value"), {"value": value + 1})

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()


def test_writers_in_several_processes_take_turns(tmp_path: Path) -> None:
    """Three processes of three threads each increment one counter: every writing transaction
    holds the write lock from its first statement (BEGIN IMMEDIATE, queued on the shared file
    lock), so no increment is lost and none fails with 'database is locked'."""
    url = f"sqlite:///{tmp_path / 'counter.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (value INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    processes = [context.Process(target=_count_up, args=(url, 40, start)) for _ in range(3)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0, 0]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM counter")).scalar_one() == 3 * 3 * 40
    engine.dispose()
    assert (tmp_path / "counter.db.writers").exists()  # the processes' queue
