"""Real processes for the fault tests: a private PostgreSQL server and ``ticketbot serve``.

Both are children of the test process, started and stopped by the tests, and both die with
it: on Linux they get SIGKILL from the kernel when the test process ends, however it ends
(``PR_SET_PDEATHSIG``), so a test killed by CI's timeout leaves no server behind.

The PostgreSQL server is a cluster of our own (``initdb`` into a temporary folder, the
``postgres`` binary run directly on a free port): the fault tests stop and restart it,
which they must never do to the shared server on 5432 that other test runs use. PostgreSQL
refuses to run as root, so as root (CI) it runs as the ``postgres`` OS user.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg

from tests.ports import free_port

__all__ = ["ROOT", "PrivatePostgres", "ServerProcess"]

ROOT = Path(__file__).resolve().parents[2]
_PR_SET_PDEATHSIG = 1
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
CAPABILITY_DROP_FAILED = 97
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


class ProcessError(RuntimeError):
    """A process the tests need did not start or stop in time; the message holds its log's tail."""


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the test process (the forking thread) ends."""
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _die_with_parent_without_dac_override() -> None:
    """As ``_die_with_parent``, and root loses the power to write files that are not writable
    (``CAP_DAC_OVERRIDE`` leaves the bounding set, so the exec'd program never has it)."""
    _die_with_parent()
    if _libc is not None and os.geteuid() == 0 and _libc.prctl(_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, 0, 0, 0) != 0:
        os._exit(CAPABILITY_DROP_FAILED)  # nothing can be raised across exec; the parent reads the status


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _postgres_bin() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3].split(".")[0])
    )
    found = shutil.which("initdb")
    if candidates:
        return Path(candidates[-1]).parent
    if found:
        return Path(found).parent
    raise ProcessError("no PostgreSQL server binaries (initdb, postgres) under /usr/lib/postgresql/*/bin or on PATH")


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free loopback port, trust authentication, user ``postgres``.

    ``fsync=off``: the tests kill processes, never the machine, so the operating system's
    cache keeps every committed page, and the tests run faster.
    """

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ticketbot-pg-"))  # in /tmp, reachable by the postgres user
        self.data = self.folder / "data"
        self.sockets = self.folder / "sockets"
        self.log = self.folder / "postgres.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._user: dict[str, object] = {}
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as error:
                raise ProcessError("running as root, PostgreSQL needs an OS user 'postgres' to run as") from error
            self._user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.sockets.mkdir()
        if self._user:
            os.chown(self.sockets, self._user["user"], self._user["group"])  # type: ignore[arg-type]
        completed = subprocess.run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-sync", "--locale=C"],
            capture_output=True, timeout=180, check=False, **self._user,  # type: ignore[arg-type]
        )  # fmt: skip
        if completed.returncode != 0:
            raise ProcessError(f"initdb failed ({completed.returncode}): {completed.stderr.decode(errors='replace')}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 60) -> None:
        if self.running:
            return
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.sockets),
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
                 "-c", "synchronous_commit=on", "-c", "max_connections=60", "-c", "shared_buffers=16MB"],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent,
                start_new_session=True, **self._user,  # type: ignore[arg-type]
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProcessError(f"PostgreSQL exited with {self.process.returncode}:\n{_tail(self.log)}")
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise ProcessError(f"PostgreSQL did not accept connections within {timeout} s:\n{_tail(self.log)}")

    def stop(self, mode: str = "immediate", timeout: float = 60) -> None:
        """``immediate``: the postmaster and every backend quit at once, as in a crash (recovery
        runs at the next start); ``fast``: a clean shutdown that rolls back open transactions."""
        if not self.running:
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGQUIT if mode == "immediate" else signal.SIGINT)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        try:
            self.stop("fast", timeout=30)
        finally:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
            shutil.rmtree(self.folder, ignore_errors=True)


class ServerProcess:
    """``ticketbot serve`` in a child process (this checkout's code: ``python -m service.cli``).

    Settings come from ``TICKETBOT_*`` variables as in production; the outer environment's
    ``TICKETBOT_*`` variables are dropped so runs are repeatable. The port stays the same
    across restarts, so clients keep their URL.
    """

    def __init__(
        self,
        database_url: str,
        folder: Path,
        *,
        name: str = "server",
        env: dict[str, str] | None = None,
        migrate: bool = True,
        without_dac_override: bool = False,
    ) -> None:
        self.database_url = database_url
        self.folder = folder
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"{name}.log"
        self.migrate = migrate
        self.preexec: Callable[[], None] = (
            _die_with_parent_without_dac_override if without_dac_override else _die_with_parent
        )
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TICKETBOT_")},
            "TICKETBOT_DATABASE_URL": database_url,
            "TICKETBOT_DEVICE": "cpu",
            "TICKETBOT_TORCH_THREADS": "1",
            "TICKETBOT_LOG_LEVEL": "WARNING",
            "TICKETBOT_ADMIN_KEY": "reliability-admin",
            "TICKETBOT_RATE_LIMIT_CLIENT": "1000000/minute",
            "TICKETBOT_RATE_LIMIT_CONVERSATION": "1000000/minute",
            "OMP_WAIT_POLICY": "PASSIVE",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, *, ready: str = "/readyz", timeout: float = 180) -> ServerProcess:
        """Start and wait until ``ready`` answers 200 (``/healthz`` when the database may be unusable)."""
        if self.running:
            raise ProcessError(f"{self.name} is already running")
        command = [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)]
        if not self.migrate:
            command.append("--no-migrate")
        self.starts += 1
        with open(self.log, "ab") as log:
            log.write(f"--- start {self.starts} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                preexec_fn=self.preexec, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=5) as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    if self.process.returncode == CAPABILITY_DROP_FAILED:
                        raise ProcessError("could not drop CAP_DAC_OVERRIDE for the server (needs CAP_SETPCAP)")
                    raise ProcessError(f"{self.name} exited with {self.process.returncode}:\n{_tail(self.log)}")
                with contextlib.suppress(httpx.TransportError):
                    if http.get(ready).status_code == 200:
                        return self
                time.sleep(0.2)
        self.kill()
        raise ProcessError(f"{self.name} was not ready within {timeout} s:\n{_tail(self.log)}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, nothing is flushed, open connections just drop."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, timeout: float = 30) -> None:
        """A graceful stop (SIGTERM), SIGKILL if it takes longer than ``timeout``."""
        if not self.running:
            return
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def client(self, timeout: float = 30) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log, lines)
