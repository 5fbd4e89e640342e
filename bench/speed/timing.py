"""The measuring: one fresh subprocess per thread count (or the GPU), timing every system in it.

Each thread count runs in its own process (``--worker``) because BLAS and OpenMP pools read
their size once, when the library loads: the parent sets the thread variables in the
child's environment before anything is imported. In the worker, systems are measured
interleaved, round by round, so a burst of load on a shared machine hits all of them alike;
wall-clock and CPU time are recorded for every call.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import ROOT, SYSTEMS, Sentence, load_splits, slot_f1
from .peers import crf_tagger, spacy_tagger

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
_KEYS = ("batch", "batch_cpu", "p50", "p99", "mean", "cpu_p50", "cpu_p99", "preempted")


class System:
    """What is timed: ``batch`` tags all of dev at once, ``single`` tags one sentence (either may be absent)."""

    def __init__(
        self,
        name: str,
        batch: Callable[[list[Sentence]], Any] | None,
        single: Callable[[Sentence], Any] | None,
        handle: Any = None,
        extra: bool = False,
    ) -> None:
        self.name = name
        self.batch = batch
        self.single = single
        self.handle = handle
        self.extra = extra  # a side figure: measured in the first round only


def build_systems(args: argparse.Namespace, peers: dict[str, Any], device: str, names: Sequence[str]) -> list[System]:
    systems: list[System] = []
    if "ours" in names:
        from model import Tagger

        tagger = Tagger.load(args.model, device=device)
        size = args.batch_size
        systems += [
            System("ours", lambda s: tagger.predict(s, batch_size=size)[0], lambda s: tagger.parse([s]), tagger),
            # the same model through parse(): spans, confidences and the intent
            System("ours.parse", lambda s: [p.tags for p in tagger.parse(s, batch_size=size)], None, extra=True),
            # one sentence through predict(): no confidences, for the profile's sake
            System("ours.predict1", None, lambda s: tagger.predict([s]), extra=True),
            # one raw string through parse(): what the service does, tokenizer included
            System("ours.text", None, lambda s: tagger.parse(" ".join(s)), extra=True),
        ]
    if "crf" in names:
        systems.append(System("crf", *crf_tagger(peers["crf"]["path"])))
    if "spacy" in names:
        systems.append(System("spacy", *spacy_tagger(peers["spacy"]["path"], args.batch_size)))
    return systems


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(
    systems: list[System], sentences: list[Sentence], rounds: int, warmup: int, budget: float
) -> dict[str, dict[str, Any]]:
    """Interleaved rounds: in each, every system makes one batched pass and one one-by-one pass over dev.

    Side figures (``extra``) are measured in the first round only, and a system whose round took
    longer than ``budget`` seconds is not measured again (a collapse needs no five-fold confirmation).

    Besides wall-clock time, the process' CPU time is recorded for every call: on a shared machine a
    call that is preempted takes longer on the wall clock but not in CPU time, so with one thread the
    CPU figures are much less sensitive to other jobs (not immune: caches and SMT siblings are still
    shared). Preemptions are counted as involuntary context switches per sentence.
    """
    timings: dict[str, dict[str, list]] = {s.name: {k: [] for k in _KEYS} for s in systems}
    for system in systems:  # warm-up: allocators, caches, lazy initialisation
        if system.batch is not None:
            system.batch(sentences)
        if system.single is not None:
            for sentence in sentences[:warmup]:
                system.single(sentence)
    spent: dict[str, float] = {}
    for r in range(rounds):
        shift = r % len(systems)
        for system in systems[shift:] + systems[:shift]:  # rotate who goes first
            if r > 0 and (system.extra or spent[system.name] > budget):
                continue
            spent[system.name] = _one_round(system, sentences, timings[system.name])
    return {name: _summary(t, len(sentences)) for name, t in timings.items()}


def _one_round(system: System, sentences: list[Sentence], t: dict[str, list]) -> float:
    """One batched pass and one one-by-one pass, appended to ``t``; returns the seconds it took."""
    import resource

    perf, cpu = time.perf_counter, time.process_time
    gc.collect()
    round_started = perf()
    if system.batch is not None:
        started, started_cpu = perf(), cpu()
        system.batch(sentences)
        t["batch_cpu"].append(cpu() - started_cpu)
        t["batch"].append(perf() - started)
    single = system.single
    if single is None:
        return perf() - round_started
    wall, used = [], []
    switches = resource.getrusage(resource.RUSAGE_SELF).ru_nivcsw
    for sentence in sentences:
        started, started_cpu = perf(), cpu()
        single(sentence)
        used.append(cpu() - started_cpu)
        wall.append(perf() - started)
    switches = resource.getrusage(resource.RUSAGE_SELF).ru_nivcsw - switches
    t["p50"].append(1000 * percentile(wall, 0.5))
    t["p99"].append(1000 * percentile(wall, 0.99))
    t["mean"].append(1000 * sum(wall) / len(wall))
    t["cpu_p50"].append(1000 * percentile(used, 0.5))
    t["cpu_p99"].append(1000 * percentile(used, 0.99))
    t["preempted"].append(switches / len(sentences))
    return perf() - round_started


def _summary(t: dict[str, list], n: int) -> dict[str, Any]:
    """The best round's figures (throughput: the fastest pass; latency: the lowest value), and every round's."""
    result: dict[str, Any] = {}
    if t["batch"]:
        result["sentences_per_second"] = n / min(t["batch"])
        result["sentences_per_second_median"] = n / sorted(t["batch"])[len(t["batch"]) // 2]
        result["sentences_per_cpu_second"] = n / min(t["batch_cpu"])
    if t["p50"]:
        result.update(
            p50_ms=min(t["p50"]),
            p99_ms=min(t["p99"]),
            mean_ms=min(t["mean"]),
            p50_ms_median_round=sorted(t["p50"])[len(t["p50"]) // 2],
            cpu_p50_ms=min(t["cpu_p50"]),
            cpu_p99_ms=min(t["cpu_p99"]),
            preemptions_per_sentence=min(t["preempted"]),
        )
    result["rounds"] = {k: [round(v, 5) for v in values] for k, values in t.items() if values}
    return result


def thread_report() -> list[dict[str, Any]]:
    from threadpoolctl import threadpool_info

    return [
        {k: pool.get(k) for k in ("user_api", "internal_api", "num_threads", "filepath")} for pool in threadpool_info()
    ]


def run_worker(args: argparse.Namespace) -> None:
    """One thread setting (or the GPU) in this fresh process; writes JSON to ``--worker-out``."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    peers = json.loads(args.peers.read_text()) if args.peers else {}
    names = ["ours"] if args.device == "cuda" else [s for s in SYSTEMS if s in args.systems]
    _, dev = load_splits(args.data)
    sentences = [e.tokens for e in dev]
    with threadpool_limits(limits=args.threads):
        systems = build_systems(args, peers, args.device, names)
        timings = measure(systems, sentences, args.rounds, args.warmup, args.round_budget)
        accuracy = {}
        by_name = {system.name: system for system in systems}
        for system in systems:
            if system.name == "ours":
                tags, intents = system.handle.predict(sentences, batch_size=args.batch_size)
                accuracy["ours"] = slot_f1(dev, tags, intents)
                accuracy["ours"]["parse_agrees_with_predict"] = by_name["ours.parse"].batch(sentences) == tags
            elif system.name in SYSTEMS:
                accuracy[system.name] = slot_f1(dev, [list(t) for t in system.batch(sentences)])
        pools = thread_report()
    result = {
        "threads": args.threads,
        "device": args.device,
        "torch_threads": torch.get_num_threads(),
        "cpu_affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "thread_pools": pools,
        "accuracy": accuracy,
        "timings": timings,
    }
    if args.device == "cuda":
        result["gpu"] = torch.cuda.get_device_name(0)
    args.worker_out.write_text(json.dumps(result, indent=2))


def spawn_worker(args: argparse.Namespace, script: Path, peers_file: Path, threads: int, device: str) -> dict[str, Any]:
    """Run ``script --worker`` (the command line, again) for one setting; returns what it measured."""
    env = dict(os.environ)
    for variable in THREAD_VARIABLES:
        env[variable] = str(threads)
    for setting in args.env:
        key, _, value = setting.partition("=")
        env[key] = value
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [
        sys.executable,
        str(script.resolve()),
        "--worker",
        "--threads",
        str(threads),
        "--device",
        device,
        "--data",
        str(args.data),
        "--peers",
        str(peers_file),
        "--worker-out",
        str(out),
        "--rounds",
        str(args.rounds),
        "--warmup",
        str(args.warmup),
        "--batch-size",
        str(args.batch_size),
        "--round-budget",
        str(args.round_budget),
        "--systems",
        *args.systems,
    ]
    if args.model:
        command += ["--model", str(args.model)]
    print(f"measuring: {threads} thread(s), {device} ...", flush=True)
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    result = json.loads(out.read_text())
    out.unlink()
    return result
