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

``--soak`` runs a different benchmark instead: ``--soak-minutes`` (10) of mixed load against
one server process (new conversations, bookings with and without a correction, rereading
conversations and bookings, cancellations through the API and in the chat, and requests
that must be refused: forged or missing tokens, empty or over-long text, malformed JSON,
unknown bookings), ``--users`` customers pausing ``--think`` seconds between actions.
After ``--soak-warmup`` seconds (30) of load, at the end of every minute it samples the
server's resident memory and its latency histogram (``/metrics``); every request's
latency is logged by the load generator. It
prints, per minute, requests, failures, p50/p99 as the customers saw them, the server's
own p99 and its RSS, then two verdicts: **p99 flat** (the last minute's p99 at most 1.5x
the first minute's) and **RSS growth under 10%** (from the end of minute 1 to the end).

    python bench/load.py --soak --soak-minutes 10 --users 32 --think 1
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

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


# --- soak ------------------------------------------------------------------------------------

FLAT_P99_RATIO = 1.5
RSS_GROWTH_LIMIT = 0.10


def resident_bytes(pid: int) -> int:
    """The process' resident set size (``VmRSS``), from ``/proc``."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def database_bytes(path: Path | None) -> int:
    """The SQLite database's size on disk, its write-ahead log included (0 for another database)."""
    if path is None:
        return 0
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def latency_buckets(base_url: str) -> dict[float, float]:
    """The server's request-latency histogram, summed over routes (cumulative counts by upper bound),
    leaving out the probes and this scrape itself."""
    with urllib.request.urlopen(f"{base_url}/metrics", timeout=30) as response:
        text = response.read().decode()
    buckets: dict[float, float] = {}
    for family in text_string_to_metric_families(text):
        if family.name != "ticketbot_http_request_seconds":
            continue
        for sample in family.samples:
            if sample.name.endswith("_bucket") and sample.labels.get("route") not in ("/metrics", "/readyz"):
                bound = float(sample.labels["le"])
                buckets[bound] = buckets.get(bound, 0.0) + sample.value
    return buckets


def histogram_quantile(q: float, buckets: dict[float, float]) -> float | None:
    """Prometheus' ``histogram_quantile`` (linear within a bucket) in ms; None without requests."""
    bounds = sorted(buckets)
    total = buckets[bounds[-1]] if bounds else 0.0
    if total <= 0:
        return None
    rank, lower, below = q * total, 0.0, 0.0
    for bound in bounds:
        if buckets[bound] >= rank:
            if math.isinf(bound):
                return 1000 * lower  # beyond the largest finite bucket: report that bound
            share = (rank - below) / max(buckets[bound] - below, 1e-12)
            return 1000 * (lower + (bound - lower) * share)
        lower, below = bound, buckets[bound]
    return 1000 * lower


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def run_soak(args: argparse.Namespace, extra_env: dict[str, str]) -> dict:
    interval = args.soak_interval
    windows = max(1, round(args.soak_minutes * 60 / interval))
    with tempfile.TemporaryDirectory(prefix="ticketbot-soak-") as tmp:
        folder = Path(tmp)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        service = start_service(folder, port, extra_env)
        database = None if "TICKETBOT_DATABASE_URL" in extra_env else folder / "load.db"
        log = folder / "requests.csv"
        log.touch()
        load_before = os.getloadavg()
        locust = None
        samples: list[dict] = []
        try:
            rss_idle = resident_bytes(service.pid)
            locust = subprocess.Popen(
                [
                    sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "SoakCustomer",
                    "--headless", "-u", str(args.users), "-r", str(args.users),
                    "-t", f"{windows * interval + 300:.0f}s", "--host", url, "--only-summary",
                    "--loglevel", "ERROR", "--stop-timeout", "5",
                ],
                env={**os.environ, "THINK_SECONDS": str(args.think), "SOAK_LOG": str(log)},
                stdout=subprocess.DEVNULL,
                stderr=open(folder / "locust.log", "wb"),  # noqa: SIM115 - lives as long as the process
            )  # fmt: skip
            deadline = time.monotonic() + 120
            while log.stat().st_size == 0:
                if locust.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"locust sent nothing: {(folder / 'locust.log').read_text()[-2000:]}")
                time.sleep(0.05)
            time.sleep(args.soak_warmup)  # the first requests pay for lazy loading: not part of minute 1
            started = time.time()
            previous = latency_buckets(url)
            for window in range(1, windows + 1):
                time.sleep(max(0.0, started + window * interval - time.time()))
                if locust.poll() is not None or service.poll() is not None:
                    raise RuntimeError(f"a process ended early (locust {locust.poll()}, server {service.poll()})")
                buckets = latency_buckets(url)
                delta = {bound: count - previous.get(bound, 0.0) for bound, count in buckets.items()}
                previous = buckets
                samples.append(
                    {"window": window, "rss_bytes": resident_bytes(service.pid),
                     "server_p99_ms": histogram_quantile(0.99, delta), "database_bytes": database_bytes(database)}
                )  # fmt: skip
                print(
                    f"  window {window}/{windows}: RSS {samples[-1]['rss_bytes'] / 2**20:.1f} MiB, "
                    f"database {samples[-1]['database_bytes'] / 2**20:.1f} MiB", flush=True,
                )  # fmt: skip
        finally:
            if locust is not None and locust.poll() is None:
                locust.terminate()
                try:
                    locust.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    locust.kill()
            service.terminate()
            service.wait(timeout=30)
        rows = []
        with log.open(newline="") as handle:
            for stamp, name, ms, ok in csv.reader(handle):
                rows.append((float(stamp), name, float(ms), ok == "1"))
    for sample in samples:
        end = started + sample["window"] * interval
        inside = [r for r in rows if end - interval <= r[0] < end]
        latencies = [r[2] for r in inside]
        sample.update(
            requests=len(inside), failures=sum(not r[3] for r in inside), requests_per_s=len(inside) / interval,
            refusals=sum(r[1].startswith("refused:") for r in inside), p50_ms=percentile(latencies, 0.50),
            p99_ms=percentile(latencies, 0.99),
            routes={name: percentile([r[2] for r in inside if r[1] == name], 0.99) for name in {r[1] for r in inside}},
        )  # fmt: skip
    first, last = samples[0], samples[-1]
    return {
        "users": args.users, "think_s": args.think, "interval_s": interval, "warmup_s": args.soak_warmup,
        "windows": samples,
        "rss_idle_bytes": rss_idle, "load_average_before": load_before, "load_average_after": os.getloadavg(),
        "p99_ratio": (last["p99_ms"] or 0) / max(first["p99_ms"] or 0, 1e-9),
        "server_p99_ratio": (last["server_p99_ms"] or 0) / max(first["server_p99_ms"] or 0, 1e-9),
        "rss_growth": last["rss_bytes"] / first["rss_bytes"] - 1,
        "requests": sum(s["requests"] for s in samples), "failures": sum(s["failures"] for s in samples),
    }  # fmt: skip


def show_soak(result: dict, database: str) -> None:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    minutes = result["interval_s"] / 60
    unit = "minute" if result["interval_s"] == 60 else f"{result['interval_s']:g} s window"
    print(
        f"\nsoak: {len(result['windows'])} x {unit}, {result['users']} customers (think {result['think_s']:g} s), "
        f"{database}, one server process, after {result['warmup_s']:g} s of warm-up"
    )
    before, after = result["load_average_before"], result["load_average_after"]
    print(f"load average (1/5/15 min) before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}; RSS idle {result['rss_idle_bytes'] / 2**20:.1f} MiB\n")
    print(f"{'window':>6} {'requests':>9} {'req/s':>7} {'failures':>8} {'refused':>8} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'server p99 ms':>13} {'RSS MiB':>8} {'DB MiB':>7}")  # fmt: skip
    for s in result["windows"]:
        print(
            f"{s['window']:>6} {s['requests']:>9} {s['requests_per_s']:>7.1f} {s['failures']:>8} {s['refusals']:>8} "
            f"{ms(s['p50_ms']):>7} {ms(s['p99_ms']):>7} {ms(s['server_p99_ms']):>13} {s['rss_bytes'] / 2**20:>8.1f} "
            f"{s.get('database_bytes', 0) / 2**20:>7.1f}"
        )
    first, last = result["windows"][0], result["windows"][-1]
    print(f"\np99 ms by request, first and last {unit}:")
    for name in sorted(set(first["routes"]) | set(last["routes"])):
        print(f"  {name:<48} {ms(first['routes'].get(name)):>6} {ms(last['routes'].get(name)):>6}")
    flat = result["p99_ratio"] <= FLAT_P99_RATIO
    grew = result["rss_growth"] < RSS_GROWTH_LIMIT
    print(
        f"\np99 flat (last {unit} within {FLAT_P99_RATIO:g}x of the first): {ms(first['p99_ms'])} ms -> "
        f"{ms(last['p99_ms'])} ms, x{result['p99_ratio']:.2f}: {'HOLDS' if flat else 'MISSED'} "
        f"(server's own p99: {ms(first['server_p99_ms'])} -> {ms(last['server_p99_ms'])} ms, "
        f"x{result['server_p99_ratio']:.2f})"
    )
    print(
        f"RSS growth under {100 * RSS_GROWTH_LIMIT:.0f}% (end of {unit} 1 to the end): "
        f"{first['rss_bytes'] / 2**20:.1f} -> {last['rss_bytes'] / 2**20:.1f} MiB, "
        f"{100 * result['rss_growth']:+.1f}%: {'HOLDS' if grew else 'MISSED'}"
    )
    print(f"failures: {result['failures']} of {result['requests']} requests "
          f"({sum(s['refusals'] for s in result['windows'])} deliberate bad requests, each refused as expected "
          f"unless counted as a failure); {minutes * len(result['windows']):g} minutes in all")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=32, help="Concurrent simulated customers.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds per phase.")
    parser.add_argument("--think", type=float, default=1.0, help="Mean pause between a customer's messages (latency).")
    parser.add_argument("--threads", type=int, default=1, help="TICKETBOT_TORCH_THREADS for the service.")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--soak", action="store_true", help="Run the soak (mixed load, p99 and RSS per minute).")
    parser.add_argument("--soak-minutes", type=float, default=10.0, help="Length of the soak.")
    parser.add_argument("--soak-interval", type=float, default=60.0, help="Seconds per soak sample (less: smoke runs).")
    parser.add_argument("--soak-warmup", type=float, default=30.0, help="Seconds of load before minute 1 begins.")
    parser.add_argument("--database-url", help="The service's database (default: SQLite in a temporary folder).")
    parser.add_argument("--workers", type=int, default=1, help="Processes of each server, chat and bare alike.")
    parser.add_argument("--sqlite-synchronous", choices=["FULL", "NORMAL"], default="FULL",
                        help="TICKETBOT_SQLITE_SYNCHRONOUS for the service.")  # fmt: skip
    args = parser.parse_args()
    extra_env = {"TICKETBOT_TORCH_THREADS": str(args.threads), "TICKETBOT_SQLITE_SYNCHRONOUS": args.sqlite_synchronous}
    if args.database_url:
        extra_env["TICKETBOT_DATABASE_URL"] = args.database_url
    database = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    if args.soak:
        result = run_soak(args, extra_env)
        show_soak(result, database)
        if args.json_out:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            args.json_out.write_text(json.dumps({**result, "database": database}, indent=2))
        return
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
