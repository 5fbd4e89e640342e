"""A SQLite file the server cannot write: read-only, or on a disk that is full.

Both are real conditions, made without touching product code:

* **read-only**: the database file is ``chmod 0444`` before the server opens it. Root
  ignores file permissions, so as root the server runs without ``CAP_DAC_OVERRIDE``
  (dropped from its capability bounding set before exec), which makes the mode bind.
* **full**: the running server's file-size limit (``RLIMIT_FSIZE``, set from outside with
  ``prlimit``) is lowered to just above the size of its database files. Writing past it
  fails in the kernel (``EFBIG``; CPython ignores ``SIGXFSZ``), which SQLite reports as a
  full disk or an I/O error, as it does for ``ENOSPC``. Mounting a tiny file system would be
  closer still, but needs privileges CI does not have; SQLite's ``max_page_count`` would need
  a hook in the product's engine. Raising the limit again is "freeing space".

The service must answer a clear 503 with ``Retry-After``, never a 500, store nothing half-way,
and keep serving once the file is writable again.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import stat
from pathlib import Path

import httpx

from service.storage import migrate

from .conftest import ServerFactory, arrival_message, confirming, say, start_conversation, transcript


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text)
    assert int(response.headers["retry-after"]) > 0
    error = response.json()["error"]
    assert error["code"] == "unavailable" and "try again" in error["message"]
    assert "sqlite" not in error["message"].lower() and "Traceback" not in response.text


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def test_a_read_only_database_file_answers_503(tmp_path: Path, make_server: ServerFactory) -> None:
    path = tmp_path / "readonly.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    writable = make_server(url).start()
    with writable.client() as http:
        conversation = confirming(http)
    writable.stop()
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        assert not leftover.exists(), "a clean stop checkpoints the WAL"
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = path.read_bytes()

    server = make_server(url, migrate=False, without_dac_override=True).start(ready="/healthz")
    with server.client() as http:
        _assert_unavailable(http.post("/api/v1/conversations"))
        _assert_unavailable(say(http, conversation, "yes", key="k1"))
        view = transcript(http, conversation)  # reading needs no write
        assert view["status"] == "confirming" and len(view["turns"]) == 2
    assert server.running, server.log_tail()
    assert "readonly database" in server.log_tail(), "the log must say why writes fail"
    server.stop()
    assert path.read_bytes() == before, "nothing may be written to a read-only file"

    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    fixed = make_server(url).start()
    with fixed.client() as http:
        booked = say(http, conversation, "yes", key="k1")
        assert booked.status_code == 200 and booked.json()["status"] == "booked", booked.text


def _database_files(path: Path) -> list[Path]:
    return [p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.exists()]


def test_a_full_disk_answers_503_and_recovers_when_space_is_freed(tmp_path: Path, make_server: ServerFactory) -> None:
    path = tmp_path / "full.db"
    url = f"sqlite:///{path}"
    # Full means no room inside the file either: a migration that rebuilds a table (SQLite's way
    # to add a CHECK, as 0003 does) leaves the old table's pages free, and small writes would fit.
    migrate.upgrade(url)
    compact = sqlite3.connect(path)
    compact.execute("VACUUM")
    compact.close()
    server = make_server(url).start()
    with server.client() as http:
        waiting = confirming(http)  # opens the database, so its WAL and shared-memory files exist
        chatty = start_conversation(http)
        headroom = 96 * 1024
        limit = max(p.stat().st_size for p in _database_files(path)) + headroom
        resource.prlimit(server.pid, resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        answered: list[str] = []
        refused = None
        try:
            for number in range(400):
                text = f"message {number}: " + "to boston please, " * 40 + "thanks"
                response = say(http, chatty, text)
                if response.status_code != 200:
                    refused = response
                    break
                answered.append(text)
            assert refused is not None, f"400 messages fitted under a {limit}-byte file limit"
            _assert_unavailable(refused)
            _assert_unavailable(say(http, waiting, "yes", key="confirm"))
            _assert_unavailable(http.post("/api/v1/conversations"))
            assert all(p.stat().st_size <= limit for p in _database_files(path))
            assert any(cause in server.log_tail() for cause in ("disk is full", "disk I/O error")), server.log_tail()
        finally:
            resource.prlimit(server.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

        # space is back: the same process carries on, and what it refused was not stored
        assert [t["user"] for t in transcript(http, chatty)["turns"]] == [None, *answered]
        booked = say(http, waiting, "yes", key="confirm")
        assert booked.status_code == 200 and booked.json()["status"] == "booked", booked.text
        assert [t["user"] for t in transcript(http, waiting)["turns"]] == [None, arrival_message(), "yes"]
        assert say(http, chatty, "one more").status_code == 200
    assert server.running, server.log_tail()
    server.stop()
    assert _integrity(path) == "ok"
    assert os.path.getsize(path) > 0
