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

``--workers N`` runs both servers (chat and bare) with N processes; ``--sqlite-synchronous
NORMAL`` trades the fsync of every commit for speed (see the README's settings).

The ten-minute soak (mixed load, p99 and memory per minute) is ``bench/soak.py``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ports import free_port  # bench/, beside this file
from servers import add_service_options, locust_command, service_environment, start_bare, start_service


def run_locust(user_class: str, host: str, users: int, seconds: int, folder: Path, think: float) -> dict:
    prefix = folder / f"{user_class}-{time.monotonic_ns()}"
    subprocess.run(
        [*locust_command(user_class, host, users, f"{seconds}s", stop_timeout=10), "--csv", str(prefix)],
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
    if "--soak" in sys.argv[1:]:  # the soak's old command line: it is bench/soak.py now, with the same options
        import soak

        print("note: the soak is bench/soak.py now", file=sys.stderr)
        soak.main([a for a in sys.argv[1:] if a != "--soak"])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_service_options(parser, think="Mean pause between a customer's messages (latency).")
    parser.add_argument("--duration", type=int, default=60, help="Seconds per phase.")
    parser.add_argument("--workers", type=int, default=1, help="Processes of each server, chat and bare alike.")
    args = parser.parse_args()
    extra_env, database = service_environment(args)
    results = run_phases(args, extra_env)
    report(args, results, database)


def run_phases(args: argparse.Namespace, extra_env: dict[str, str]) -> dict[str, dict]:
    """The chat back to back, the bare endpoint back to back, the chat with think time."""
    with tempfile.TemporaryDirectory(prefix="ticketbot-load-") as tmp:
        folder = Path(tmp)
        chat_port, bare_port = free_port(), free_port()
        service = start_service(folder, chat_port, extra_env, args.workers)
        bare = start_bare(folder, bare_port, args.workers)
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
    return results


def report(args: argparse.Namespace, results: dict[str, dict], database: str) -> None:
    processes = "one server process" if args.workers == 1 else f"{args.workers} processes per server"
    sync = f" (synchronous {args.sqlite_synchronous})" if database == "SQLite" else ""
    print(f"\n{args.users} concurrent customers, {args.duration} s per phase, {database}{sync}, {processes}\n")
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
        args.json_out.write_text(json.dumps({
            **results, "ratio": ratio, "users": args.users, "workers": args.workers, "database": database,
            "sqlite_synchronous": args.sqlite_synchronous if database == "SQLite" else None,
        }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
