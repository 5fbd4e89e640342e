"""Soak: ten minutes of mixed load on one server process, with flat latency and memory as the verdicts.

Starts ``ticketbot serve`` (SQLite in a temporary folder, the bundled model) on loopback and
runs ``--minutes`` (10) of mixed load with locust (headless): new conversations, bookings
with and without a correction, rereading conversations and bookings, cancellations
through the API and in the chat, and requests that must be refused (forged or missing
tokens, empty or over-long text, malformed JSON, unknown bookings), ``--users`` customers
pausing ``--think`` seconds between actions. After ``--warmup`` seconds (30) of load, at
the end of every minute it samples the server's resident memory and its latency
histogram (``/metrics``); every request's latency is logged by the load generator. It
prints, per minute, requests, failures, p50/p99 as the customers saw them, the server's
own p99 and its RSS, then two verdicts: **p99 flat** (the last minute's p99 at most 1.5x
the first minute's) and **RSS growth under 10%** (from the end of minute 1 to the end).

    python bench/soak.py --minutes 10 --users 32 --think 1 --json-out bench/results/soak.json
    python bench/soak.py --interval 10 --minutes 0.5 --warmup 5      # a 30-second smoke run
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from ports import free_port  # bench/, beside this file
from prometheus_client.parser import text_string_to_metric_families
from servers import add_service_options, locust_command, service_environment, start_service

FLAT_P99_RATIO = 1.5
RSS_GROWTH_LIMIT = 0.10


# what is measured -------------------------------------------------------------------------------
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


# the run ----------------------------------------------------------------------------------------
def run_soak(args: argparse.Namespace, extra_env: dict[str, str]) -> dict:
    interval = args.interval
    windows = max(1, round(args.minutes * 60 / interval))
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
        try:
            rss_idle = resident_bytes(service.pid)
            run_time = f"{windows * interval + 300:.0f}s"
            locust = subprocess.Popen(
                locust_command("SoakCustomer", url, args.users, run_time, stop_timeout=5),
                env={**os.environ, "THINK_SECONDS": str(args.think), "SOAK_LOG": str(log)},
                stdout=subprocess.DEVNULL,
                stderr=open(folder / "locust.log", "wb"),  # noqa: SIM115 - lives as long as the process
            )
            _wait_for_traffic(locust, log, folder / "locust.log")
            time.sleep(args.warmup)  # the first requests pay for lazy loading: not part of minute 1
            started = time.time()
            samples = _sample_windows(url, service, locust, database, windows, interval, started)
        finally:
            _stop(locust)
            service.terminate()
            service.wait(timeout=30)
        rows = []
        with log.open(newline="") as handle:
            for stamp, name, ms, ok in csv.reader(handle):
                rows.append((float(stamp), name, float(ms), ok == "1"))
    _add_client_figures(samples, rows, started, interval)
    first, last = samples[0], samples[-1]
    return {
        "users": args.users, "think_s": args.think, "interval_s": interval, "warmup_s": args.warmup,
        "windows": samples,
        "rss_idle_bytes": rss_idle, "load_average_before": load_before, "load_average_after": os.getloadavg(),
        "p99_ratio": (last["p99_ms"] or 0) / max(first["p99_ms"] or 0, 1e-9),
        "server_p99_ratio": (last["server_p99_ms"] or 0) / max(first["server_p99_ms"] or 0, 1e-9),
        "rss_growth": last["rss_bytes"] / first["rss_bytes"] - 1,
        "requests": sum(s["requests"] for s in samples), "failures": sum(s["failures"] for s in samples),
    }  # fmt: skip


def _wait_for_traffic(locust: subprocess.Popen, log: Path, locust_log: Path) -> None:
    """Until the first request is logged (locust and its users take a moment to start)."""
    deadline = time.monotonic() + 120
    while log.stat().st_size == 0:
        if locust.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"locust sent nothing: {locust_log.read_text()[-2000:]}")
        time.sleep(0.05)


def _sample_windows(
    url: str, service: subprocess.Popen, locust: subprocess.Popen, database: Path | None, windows: int,
    interval: float, started: float,
) -> list[dict]:  # fmt: skip
    """At the end of every window: the server's RSS, its own p99 over the window, the database's size."""
    samples: list[dict] = []
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
    return samples


def _stop(locust: subprocess.Popen | None) -> None:
    if locust is not None and locust.poll() is None:
        locust.terminate()
        try:
            locust.wait(timeout=60)
        except subprocess.TimeoutExpired:
            locust.kill()


def _add_client_figures(samples: list[dict], rows: list[tuple], started: float, interval: float) -> None:
    """Each window's requests, failures and percentiles as the customers saw them (the load generator's log)."""
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


# the report -------------------------------------------------------------------------------------
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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_service_options(parser, think="Mean pause between a customer's actions.")
    # the second spellings are those of ``bench/load.py --soak``, where the soak used to live
    parser.add_argument("--minutes", "--soak-minutes", type=float, default=10.0, help="Length of the soak.")
    parser.add_argument("--interval", "--soak-interval", type=float, default=60.0,
                        help="Seconds per sample (less: smoke runs).")  # fmt: skip
    parser.add_argument("--warmup", "--soak-warmup", type=float, default=30.0,
                        help="Seconds of load before minute 1 begins.")  # fmt: skip
    args = parser.parse_args(argv)
    extra_env, database = service_environment(args)
    result = run_soak(args, extra_env)
    show_soak(result, database)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({**result, "database": database}, indent=2))


if __name__ == "__main__":
    main()
