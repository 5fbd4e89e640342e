"""Load benchmark: simulated customers booking through the real service, beside a bare endpoint.

Starts ``ticketbot serve`` (SQLite in a temporary folder, the bundled model) and a bare
FastAPI app on loopback, drives each with locust (headless) and prints requests/s,
p50/p99 latency and errors for both, and the chat's throughput as a share of the bare
endpoint's. Two phases:

* ``throughput``: customers send their messages back to back (closed loop), which
  measures the most the service can do; the bare endpoint gets the same user count.
* ``latency``: customers pause ``--think`` seconds between messages, as people do,
  and the figure is the latency they see.

    python bench/load.py --users 32 --duration 60
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def start_service(folder: Path, port: int, extra_env: dict[str, str]) -> subprocess.Popen:
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
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "service.log", "wb"),  # noqa: SIM115 - lives as long as the process
    )
    wait_ready(f"http://127.0.0.1:{port}/readyz")
    return process


def start_bare(folder: Path, port: int) -> subprocess.Popen:
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


def run_locust(user_class: str, host: str, users: int, seconds: int, folder: Path, think: float) -> dict:
    prefix = folder / f"{user_class}-{time.monotonic_ns()}"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            user_class,
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "10",
        ],
        env={**os.environ, "THINK_SECONDS": str(think)},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(newline="") as handle:
            failures = [f"{r['Occurrences']}x {r['Name']}: {r['Error'][:160]}" for r in csv.DictReader(handle)]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "requests_per_s": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
        "failures": failures,
    }


def show(name: str, figures: dict) -> None:
    print(
        f"{name:<34} {figures['requests_per_s']:8.1f} req/s   p50 {figures['p50_ms']:6.0f} ms   "
        f"p99 {figures['p99_ms']:6.0f} ms   errors {figures['errors']}/{figures['requests']}"
    )
    for failure in figures["failures"][:5]:
        print(f"    {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=32, help="Concurrent simulated customers.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds per phase.")
    parser.add_argument("--think", type=float, default=1.0, help="Mean pause between a customer's messages (latency).")
    parser.add_argument("--threads", type=int, default=1, help="TICKETBOT_TORCH_THREADS for the service.")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ticketbot-load-") as tmp:
        folder = Path(tmp)
        chat_port, bare_port = free_port(), free_port()
        service = start_service(folder, chat_port, {"TICKETBOT_TORCH_THREADS": str(args.threads)})
        bare = start_bare(folder, bare_port)
        try:
            results = {
                "chat_throughput": run_locust(
                    "Customer", f"http://127.0.0.1:{chat_port}", args.users, args.duration, folder, 0.0
                ),
                "bare_throughput": run_locust(
                    "BareClient", f"http://127.0.0.1:{bare_port}", args.users, args.duration, folder, 0.0
                ),
                "chat_latency": run_locust(
                    "Customer", f"http://127.0.0.1:{chat_port}", args.users, args.duration, folder, args.think
                ),
            }
        finally:
            for process in (service, bare):
                process.terminate()
                process.wait(timeout=30)
    print(f"\n{args.users} concurrent customers, {args.duration} s per phase, SQLite, one server process\n")
    show("chat, back to back", results["chat_throughput"])
    show("bare FastAPI endpoint, back to back", results["bare_throughput"])
    show(f"chat, {args.think:g} s think time", results["chat_latency"])
    ratio = results["chat_throughput"]["requests_per_s"] / results["bare_throughput"]["requests_per_s"]
    print(f"\nchat throughput / bare endpoint throughput: {100 * ratio:.0f}%")
    errors = sum(r["errors"] for r in results.values())
    print(
        f"targets: 0 errors {'met' if errors == 0 else 'MISSED'}; "
        f"p99 < 100 ms at {args.users} customers {'met' if results['chat_latency']['p99_ms'] < 100 else 'MISSED'}; "
        f"throughput >= 40% of bare {'met' if ratio >= 0.4 else 'MISSED'}"
    )
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({**results, "ratio": ratio, "users": args.users}, indent=2))


if __name__ == "__main__":
    main()
