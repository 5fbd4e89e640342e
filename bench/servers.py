"""What ``load.py`` and ``soak.py`` share: the servers they start on loopback, the locust command
that drives them, and the options that configure the service."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "bench" / "locustfile.py"


def add_service_options(parser: argparse.ArgumentParser, think: str) -> None:
    """The options both benchmarks take; ``think`` says what the pause is between."""
    parser.add_argument("--users", type=int, default=32, help="Concurrent simulated customers.")
    parser.add_argument("--think", type=float, default=1.0, help=think)
    parser.add_argument("--threads", type=int, default=1, help="TICKETBOT_TORCH_THREADS for the service.")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--database-url", help="The service's database (default: SQLite in a temporary folder).")
    parser.add_argument("--sqlite-synchronous", choices=["FULL", "NORMAL"], default="FULL",
                        help="TICKETBOT_SQLITE_SYNCHRONOUS for the service.")  # fmt: skip


def service_environment(args: argparse.Namespace) -> tuple[dict[str, str], str]:
    """The service's settings from those options, and the database's name for the report."""
    extra_env = {"TICKETBOT_TORCH_THREADS": str(args.threads), "TICKETBOT_SQLITE_SYNCHRONOUS": args.sqlite_synchronous}
    if args.database_url:
        extra_env["TICKETBOT_DATABASE_URL"] = args.database_url
    database = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    return extra_env, database


def wait_ready(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become ready")


def start_service(folder: Path, port: int, extra_env: dict[str, str], workers: int = 1) -> subprocess.Popen:
    env = {
        **os.environ,
        "TICKETBOT_DATABASE_URL": f"sqlite:///{folder / 'load.db'}",
        "TICKETBOT_RATE_LIMIT_CLIENT": "10000000/minute",
        "TICKETBOT_RATE_LIMIT_CONVERSATION": "10000000/minute",
        "TICKETBOT_LOG_LEVEL": "WARNING",
        "TICKETBOT_DEVICE": "cpu",
        **extra_env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "service.log", "wb"),  # noqa: SIM115 - lives as long as the process
    )
    wait_ready(f"http://127.0.0.1:{port}/readyz")
    if workers > 1:  # /readyz answered from one process; give the others time to load their tagger
        time.sleep(20)
    return process


def start_bare(folder: Path, port: int, workers: int = 1) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--app-dir",
            str(ROOT / "bench"),
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "bare.log", "wb"),  # noqa: SIM115 - lives as long as the process
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the bare app did not start")


def locust_command(user_class: str, host: str, users: int, run_time: str, stop_timeout: int) -> list[str]:
    """Headless locust with ``locustfile.py``'s ``user_class``, all users spawned at once, a summary only."""
    return [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), user_class, "--headless", "-u", str(users),
        "-r", str(users), "-t", run_time, "--host", host, "--only-summary", "--loglevel", "ERROR",
        "--stop-timeout", str(stop_timeout),
    ]  # fmt: skip
