"""Speed and accuracy, side by side: our shipped tagger vs a word-feature CRF vs spaCy's NER.

All three are trained (or, for ours, loaded) on the same ATIS train split and measured in one
run, on the same machine, on ATIS dev:

* **ours**: the bundled BiLSTM (``Tagger.load()``), or ``--model FILE``;
* **crf**: ``sklearn-crfsuite`` with the usual word features (lower-cased word, prefixes and
  suffixes, is-digit, shape, the same for the words at +-1 and +-2, BOS/EOS), L-BFGS, c1 = c2 = 0.1;
* **spacy**: a blank English pipeline with only the ``ner`` component, trained from scratch on
  Docs built from the corpus' own tokens (``Doc(vocab, words=tokens)``), so tokenization is
  identical for all three; the epoch with the best dev F1 is kept.

For each system and each thread count (``--threads 1 2``): dev slot F1 (conlleval, via
``model.score``), batched throughput (sentences/s over the whole dev set, best of the rounds) and
single-sentence latency p50/p99 in ms (one sentence at a time over all of dev, after a warm-up;
the round with the lowest value is reported). Every thread count runs in a fresh subprocess
(``--worker``) whose BLAS/OpenMP thread variables are set before anything is imported; systems
are measured interleaved, round by round, so a burst of load on a shared machine hits all of
them alike. With a CUDA GPU (``--device auto|cuda``) ours is also measured on it.

The trained peers are cached under ``bench/.cache/`` (keyed by the data and the settings);
``--retrain`` trains them again. Results go to ``--json-out`` and ``--md-out``.

    python bench/tagger_speed.py --data ../shared/data/atis
    python bench/tagger_speed.py --profile          # where ours spends a single sentence's time
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # measure this checkout's model/, not some other installed copy
    sys.path.insert(0, str(ROOT))

SYSTEMS = ("ours", "crf", "spacy")
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
CRF_SETTINGS = {"algorithm": "lbfgs", "c1": 0.1, "c2": 0.1, "max_iterations": 100, "all_possible_transitions": True}
SPACY_SETTINGS = {"epochs": 25, "dropout": 0.2, "batch_start": 4.0, "batch_stop": 32.0, "batch_compound": 1.001}
LABELS = {"ours": "ours (BiLSTM, bundled)", "crf": "CRF (sklearn-crfsuite)", "spacy": "spaCy NER (blank en)"}
PEER_TITLES = {"crf": "a CRF", "spacy": "spaCy's NER"}
TARGETS = {"crf_throughput_ratio": 2.0, "spacy_throughput_ratio": 10.0, "p50_ms_one_thread": 1.0}

Sentence = tuple[str, ...]


# data -------------------------------------------------------------------------------------------
def load_splits(data: Path) -> tuple[list, list]:
    from model import read_split

    return read_split(data / "train"), read_split(data / "dev")


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def fingerprint(data: Path, settings: dict[str, Any], library: str) -> str:
    """Cache key: the train and dev files, the settings and the library's version."""
    digest = hashlib.sha1()
    for split in ("train", "dev"):
        for name in ("seq.in", "seq.out"):
            digest.update((data / split / name).read_bytes())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(library.encode())
    return digest.hexdigest()[:12]


def slot_f1(gold: list, tags: Sequence[Sequence[str]], intents: Sequence[str] | None = None) -> dict[str, float]:
    from model import score

    figures = score(gold, tags, list(intents) if intents is not None else [""] * len(gold))
    keep = ["slot_f1", "slot_precision", "slot_recall"]
    if intents is not None:
        keep += ["intent_accuracy", "sentence_accuracy"]
    return {k: figures[k] for k in keep}


# (b) the CRF ------------------------------------------------------------------------------------
def _shape(word: str) -> str:
    """``Boston`` -> ``Xx``, ``10:30`` -> ``d:d``, ``o'hare`` -> ``x'x``: character classes, runs collapsed."""
    out: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def crf_features(tokens: Sentence) -> list[dict[str, Any]]:
    """The usual CRF word features (as in the sklearn-crfsuite tutorial), with a +-2 window."""
    n = len(tokens)
    lowered = [t.lower() for t in tokens]
    shapes = [_shape(t) for t in tokens]
    features = []
    for i, word in enumerate(lowered):
        f: dict[str, Any] = {
            "bias": 1.0,
            "w": word,
            "p2": word[:2],
            "p3": word[:3],
            "s2": word[-2:],
            "s3": word[-3:],
            "digit": word.isdigit(),
            "shape": shapes[i],
            "len": min(len(word), 8),
        }
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                f[f"{offset}:w"] = lowered[j]
                f[f"{offset}:digit"] = lowered[j].isdigit()
                f[f"{offset}:shape"] = shapes[j]
                if abs(offset) == 1:
                    f[f"{offset}:s3"] = lowered[j][-3:]
                    f[f"{offset}:w|w"] = f"{lowered[j]}|{word}" if offset < 0 else f"{word}|{lowered[j]}"
        if i == 0:
            f["BOS"] = True
        if i == n - 1:
            f["EOS"] = True
        features.append(f)
    return features


def train_crf(train: list, dev: list, path: Path) -> dict[str, Any]:
    import sklearn_crfsuite

    started = time.perf_counter()
    crf = sklearn_crfsuite.CRF(model_filename=str(path), **CRF_SETTINGS)
    crf.fit([crf_features(e.tokens) for e in train], [list(e.tags) for e in train])
    seconds = time.perf_counter() - started
    predicted = crf.predict([crf_features(e.tokens) for e in dev])
    return {"train_seconds": seconds, "dev": slot_f1(dev, predicted), "settings": CRF_SETTINGS}


# (c) spaCy's NER --------------------------------------------------------------------------------
def spacy_tags(doc) -> list[str]:
    return ["O" if t.ent_iob_ in ("O", "") else f"{t.ent_iob_}-{t.ent_type_}" for t in doc]


def spacy_examples(nlp, examples: list) -> list:
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    from model import bio_spans

    out = []
    for example in examples:
        words = list(example.tokens)
        reference = Doc(nlp.vocab, words=words)
        reference.ents = [Span(reference, a, b, label=slot) for slot, a, b in bio_spans(example.tags)]
        out.append(Example(Doc(nlp.vocab, words=words), reference))
    return out


def train_spacy(train: list, dev: list, folder: Path, seed: int) -> dict[str, Any]:
    import spacy
    from spacy.tokens import Doc
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    examples = spacy_examples(nlp, train)
    started = time.perf_counter()
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    history, best = [], -1.0
    for epoch in range(1, SPACY_SETTINGS["epochs"] + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        settings = SPACY_SETTINGS
        sizes = compounding(settings["batch_start"], settings["batch_stop"], settings["batch_compound"])
        for batch in minibatch(examples, size=sizes):
            nlp.update(batch, drop=SPACY_SETTINGS["dropout"], sgd=optimizer, losses=losses)
        docs = nlp.pipe(Doc(nlp.vocab, words=list(e.tokens)) for e in dev)
        f1 = slot_f1(dev, [spacy_tags(d) for d in docs])["slot_f1"]
        history.append({"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 2), "dev_slot_f1": f1})
        print(f"  spacy epoch {epoch:2d}: loss {losses.get('ner', 0.0):9.1f}  dev slot F1 {100 * f1:.2f}", flush=True)
        if f1 > best:
            best = f1
            nlp.to_disk(folder)
    seconds = time.perf_counter() - started
    nlp = spacy.load(folder)
    docs = nlp.pipe(Doc(nlp.vocab, words=list(e.tokens)) for e in dev)
    return {
        "train_seconds": seconds,
        "dev": slot_f1(dev, [spacy_tags(d) for d in docs]),
        "best_epoch": max(history, key=lambda h: h["dev_slot_f1"])["epoch"],
        "history": history,
        "settings": {**SPACY_SETTINGS, "seed": seed, "pipeline": "spacy.blank('en') + ner (default model)"},
    }


def prepare_peers(args: argparse.Namespace, train: list, dev: list) -> dict[str, dict[str, Any]]:
    """Train the CRF and spaCy's NER, or reuse the cached ones; returns their paths and training facts."""
    args.cache.mkdir(parents=True, exist_ok=True)
    peers: dict[str, dict[str, Any]] = {}
    crf_key = fingerprint(args.data, CRF_SETTINGS, package_version("python-crfsuite"))
    spacy_key = fingerprint(args.data, {**SPACY_SETTINGS, "seed": args.seed}, package_version("spacy"))
    jobs: dict[str, tuple[Path, Callable[[Path], dict[str, Any]]]] = {
        "crf": (
            args.cache / f"crf-{crf_key}.crfsuite",
            lambda path: train_crf(train, dev, path),
        ),
        "spacy": (
            args.cache / f"spacy-{spacy_key}",
            lambda path: train_spacy(train, dev, path, args.seed),
        ),
    }
    for name, (path, trainer) in jobs.items():
        if name not in args.systems:
            continue
        meta_file = path.with_name(path.name + ".json")
        if meta_file.exists() and path.exists() and not args.retrain:
            meta = json.loads(meta_file.read_text())
            print(f"{name}: cached {path} (trained in {meta['train_seconds']:.0f} s)", flush=True)
        else:
            print(f"{name}: training on {len(train)} sentences ...", flush=True)
            meta = trainer(path)
            meta_file.write_text(json.dumps(meta, indent=2))
            print(f"{name}: trained in {meta['train_seconds']:.0f} s, dev slot F1 {100 * meta['dev']['slot_f1']:.2f}")
        peers[name] = {"path": str(path), **meta}
    return peers


# measuring --------------------------------------------------------------------------------------
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
            # the same model through parse(): spans, confidences (chain marginals) and the intent
            System("ours.parse", lambda s: [p.tags for p in tagger.parse(s, batch_size=size)], None, extra=True),
            # one sentence through predict(): no marginals, for the profile's sake
            System("ours.predict1", None, lambda s: tagger.predict([s]), extra=True),
            # one raw string through parse(): what the service does, tokenizer included
            System("ours.text", None, lambda s: tagger.parse(" ".join(s)), extra=True),
        ]
    if "crf" in names:
        import sklearn_crfsuite

        crf = sklearn_crfsuite.CRF(model_filename=peers["crf"]["path"])
        systems.append(
            System(
                "crf",
                lambda s: [crf.predict_single(crf_features(tokens)) for tokens in s],
                lambda s: crf.predict_single(crf_features(s)),
            )
        )
    if "spacy" in names:
        import spacy
        from spacy.tokens import Doc

        nlp = spacy.load(peers["spacy"]["path"])
        vocab, size = nlp.vocab, args.batch_size
        systems.append(
            System(
                "spacy",
                lambda s: [spacy_tags(d) for d in nlp.pipe((Doc(vocab, words=list(t)) for t in s), batch_size=size)],
                lambda s: spacy_tags(nlp(Doc(vocab, words=list(s)))),
            )
        )
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
    import resource

    perf, cpu = time.perf_counter, time.process_time
    keys = ("batch", "batch_cpu", "p50", "p99", "mean", "cpu_p50", "cpu_p99", "preempted")
    timings: dict[str, dict[str, list]] = {s.name: {k: [] for k in keys} for s in systems}
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
            t = timings[system.name]
            gc.collect()
            round_started = perf()
            if system.batch is not None:
                started, started_cpu = perf(), cpu()
                system.batch(sentences)
                t["batch_cpu"].append(cpu() - started_cpu)
                t["batch"].append(perf() - started)
            single = system.single
            if single is None:
                spent[system.name] = perf() - round_started
                continue
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
            spent[system.name] = perf() - round_started
    results: dict[str, dict[str, Any]] = {}
    n = len(sentences)
    for name, t in timings.items():
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
        results[name] = result
    return results


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


def spawn_worker(args: argparse.Namespace, peers_file: Path, threads: int, device: str) -> dict[str, Any]:
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
        str(Path(__file__).resolve()),
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


# reporting --------------------------------------------------------------------------------------
def load_average() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One table row per system and setting."""
    out = []
    for run in report["runs"]:
        setting = f"{run['threads']} thread{'s' if run['threads'] > 1 else ''}"
        if run["device"] == "cuda":
            setting = f"GPU ({run.get('gpu', 'cuda')})"
        t = run["timings"]
        for name in SYSTEMS:
            if name not in t:
                continue
            row = {
                "system": LABELS[name],
                "setting": setting,
                "f1": run["accuracy"][name]["slot_f1"],
                "sps": t[name]["sentences_per_second"],
                "cpu_sps": t[name]["sentences_per_cpu_second"],
                "p50": t[name]["p50_ms"],
                "p99": t[name]["p99_ms"],
                "cpu_p50": t[name]["cpu_p50_ms"],
                "preempted": t[name]["preemptions_per_sentence"],
                "parse_sps": t["ours.parse"]["sentences_per_second"] if name == "ours" else None,
                "predict1_p50": t["ours.predict1"]["p50_ms"] if name == "ours" else None,
                "text_p50": t["ours.text"]["p50_ms"] if name == "ours" else None,
            }
            out.append(row)
    return out


def _throughput_checks(t: dict[str, Any], key: str, label: str) -> list[dict[str, Any]]:
    checks = []
    ours = t["ours"][key]
    for peer, factor in (("crf", TARGETS["crf_throughput_ratio"]), ("spacy", TARGETS["spacy_throughput_ratio"])):
        ratio = ours / t[peer][key]
        checks.append(
            {
                "target": f"batched throughput >= {factor:g}x {peer}'s ({label})",
                "holds": ratio >= factor,
                "detail": f"{ratio:.2f}x ({ours:,.0f} vs {t[peer][key]:,.0f} sentences/s)",
            }
        )
    return checks


def check_targets(report: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The issue's targets on wall-clock figures, and the same on CPU time (one thread) as a load-robust view."""
    checks: list[dict[str, Any]] = []
    cpu_view: list[dict[str, Any]] = []
    cpu_runs = [r for r in report["runs"] if r["device"] == "cpu"]
    if not cpu_runs:
        return checks, cpu_view
    f1 = {name: figures["slot_f1"] for name, figures in cpu_runs[0]["accuracy"].items() if name in SYSTEMS}
    peers = {"crf", "spacy"} <= set(f1)  # a run with --systems ours judges only the latency
    if peers:
        checks.append(
            {
                "target": "dev slot F1 higher than both peers",
                "holds": f1["ours"] > max(f1["crf"], f1["spacy"]),
                "detail": f"ours {100 * f1['ours']:.2f} vs CRF {100 * f1['crf']:.2f}, spaCy {100 * f1['spacy']:.2f}",
            }
        )
        for run in cpu_runs:
            label = f"{run['threads']} thread(s), wall clock"
            checks += _throughput_checks(run["timings"], "sentences_per_second", label)
    one = next((r for r in cpu_runs if r["threads"] == 1), None)
    if one is not None:
        ours = one["timings"]["ours"]
        limit = TARGETS["p50_ms_one_thread"]
        checks.append(
            {
                "target": f"single-sentence parse() p50 <= {limit:g} ms with one thread (wall clock)",
                "holds": ours["p50_ms"] <= limit,
                "detail": f"p50 {ours['p50_ms']:.3f} ms (p99 {ours['p99_ms']:.3f} ms)",
            }
        )
        if peers:
            cpu_view += _throughput_checks(one["timings"], "sentences_per_cpu_second", "1 thread, CPU time")
        cpu_view.append(
            {
                "target": f"single-sentence parse() p50 <= {limit:g} ms with one thread (CPU time)",
                "holds": ours["cpu_p50_ms"] <= limit,
                "detail": f"CPU p50 {ours['cpu_p50_ms']:.3f} ms",
            }
        )
    return checks, cpu_view


def _title(peers: dict[str, Any]) -> str:
    measured = [PEER_TITLES[name] for name in SYSTEMS if name in peers]
    if not measured:
        return "# Tagger speed: ours alone (ATIS dev; the peers were not asked for)"
    return f"# Tagger speed: {' vs '.join(['ours', *measured])} (ATIS dev)"


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        _title(report["peers"]),
        "",
        f"Measured {meta['date']} on {meta['cpu']} ({meta['cpus']} CPUs visible), Python {meta['python']}, "
        f"torch {meta['versions']['torch']}, spaCy {meta['versions']['spacy']}, "
        f"sklearn-crfsuite {meta['versions']['sklearn_crfsuite']}. "
        f"Load average (1/5/15 min) before: {meta['load_before']}, after: {meta['load_after']}; "
        f"{meta['rounds']} interleaved rounds, the best reported.",
        "",
        f"Command: `{meta['command']}`"
        + (
            f" (extra environment for the measuring processes: {', '.join(meta['extra_env'])})"
            if meta["extra_env"]
            else ""
        ),
        "",
        "| system | setting | dev slot F1 | batched sent/s | sent/CPU-s | p50 ms | p99 ms | CPU p50 ms "
        "| preempted/sent |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows(report):
        lines.append(
            f"| {row['system']} | {row['setting']} | {100 * row['f1']:.2f} | {row['sps']:,.0f} | "
            f"{row['cpu_sps']:,.0f} | {row['p50']:.3f} | {row['p99']:.3f} | {row['cpu_p50']:.3f} | "
            f"{row['preempted']:.2f} |"
        )
    lines += [
        "",
        "Ours: batched = `Tagger.predict` (tags and intents), single = `Tagger.parse([tokens])` (spans, "
        "confidences, intent: what the service calls). CRF: feature extraction + `predict_single`. spaCy: "
        "`Doc(vocab, words=tokens)` + the pipeline (`nlp.pipe` batched). Every figure includes turning "
        "tokens into features and predictions into BIO tags. *sent/CPU-s* and *CPU p50* divide by the "
        "process' CPU time instead of wall-clock time (with 2 threads, CPU time adds up both threads); "
        "*preempted/sent* counts involuntary context switches per single-sentence call.",
        "",
        "Extra figures for ours:",
        "",
        "| setting | batched `parse` sent/s | single `predict([tokens])` p50 ms | single `parse(text)` p50 ms |",
        "|---|---:|---:|---:|",
    ]
    for row in rows(report):
        if row["parse_sps"] is not None:
            lines.append(
                f"| {row['setting']} | {row['parse_sps']:,.0f} | {row['predict1_p50']:.3f} | {row['text_p50']:.3f} |"
            )
    lines += ["", "Targets (issue 3, item 5), wall clock:", ""]
    for check in report["targets"]:
        lines.append(f"- {'holds' if check['holds'] else '**misses**'}: {check['target']}: {check['detail']}")
    if report["targets_cpu_time"]:
        lines += ["", "The same on CPU time, one thread (less sensitive to other jobs' load, not immune to it):", ""]
    for check in report["targets_cpu_time"]:
        lines.append(f"- {'holds' if check['holds'] else '**misses**'}: {check['target']}: {check['detail']}")
    peers = report["peers"]
    trained = []
    if "crf" in peers:
        trained.append(f"CRF {peers['crf']['train_seconds']:.0f} s")
    if "spacy" in peers:
        trained.append(
            f"spaCy {peers['spacy']['train_seconds']:.0f} s for {len(peers['spacy']['history'])} epochs "
            f"(best dev F1 at epoch {peers['spacy']['best_epoch']}, kept)"
        )
    if trained:
        lines += ["", f"Training (this machine, under the load above): {'; '.join(trained)}."]
    return "\n".join([*lines, ""])


def print_table(report: dict[str, Any]) -> None:
    header = (
        f"{'system':<24} {'setting':<10} {'F1':>6} {'sent/s':>8} {'sent/CPUs':>9} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'CPU p50':>7} {'preempt':>7}"
    )
    print()
    print(f"load average before {report['meta']['load_before']}, after {report['meta']['load_after']}")
    print(header)
    print("-" * len(header))
    for row in rows(report):
        print(
            f"{row['system']:<24} {row['setting']:<10} {100 * row['f1']:6.2f} {row['sps']:8,.0f} "
            f"{row['cpu_sps']:9,.0f} {row['p50']:7.3f} {row['p99']:7.3f} {row['cpu_p50']:7.3f} {row['preempted']:7.2f}"
        )
        if row["parse_sps"] is not None:
            print(
                f"{'  ours via parse()':<24} {'':<10} {'':>6} {row['parse_sps']:8,.0f}  batched; single "
                f"predict([tokens]) p50 {row['predict1_p50']:.3f} ms, parse(text) p50 {row['text_p50']:.3f} ms"
            )
    print()
    for check in report["targets"]:
        print(f"[{'HOLDS ' if check['holds'] else 'MISSES'}] {check['target']}: {check['detail']}")
    if report["targets_cpu_time"]:
        print("CPU-time view (less sensitive to load; one thread):")
    for check in report["targets_cpu_time"]:
        print(f"[{'HOLDS ' if check['holds'] else 'MISSES'}] {check['target']}: {check['detail']}")


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _profile_table(profiler, calls: int, top: int, title: str) -> list[str]:
    """cProfile's entries as microseconds per call of the profiled operation (cumulative and own)."""
    import pstats

    entries = []
    for (file, line, function), (_, ncalls, tottime, cumtime, _) in pstats.Stats(profiler).stats.items():
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}({function})" if line else function
        entries.append((cumtime / calls * 1e6, tottime / calls * 1e6, ncalls / calls, where))
    lines = [title, "", f"{'cum us':>9} {'own us':>9} {'calls':>7}  function (per {title.split(':')[0]})"]
    for cum, own, n, where in sorted(entries, reverse=True)[:top]:
        lines.append(f"{cum:9.1f} {own:9.1f} {n:7.1f}  {where}")
    return lines


def stage_breakdown(tagger, sentences: list[Sentence], rounds: int) -> list[tuple[str, float, float]]:
    """Median microseconds (CPU time, wall time) per sentence of each step of ``parse([tokens])``.

    The steps re-enact ``Tagger._parse_batch`` for one sentence from the model's own parts (read
    only: nothing in model/ is changed), without a profiler's overhead; indented steps are parts of
    the step above or alternatives to it, for comparison.
    """
    import numpy as np
    import torch

    from model import bio_spans
    from model.viterbi import chain_marginals, decode

    network, chain = tagger.network, tagger._chain()
    keep, outside = tagger.keep, tagger._outside

    def encode(batch):
        return {name: encoder(batch.features) for name, encoder in network.encoder.encoders.items()}

    def heads(batch, hidden):
        emissions = network.slot_head(hidden)
        valid = batch.mask[:, :, None]
        pooled_max = hidden.masked_fill(~valid, float("-inf")).max(dim=1).values
        pooled_mean = (hidden * valid).sum(dim=1) / valid.sum(dim=1).clamp(min=1)
        intent = network.intent_head(torch.cat([pooled_max, pooled_mean], dim=-1))
        scores = torch.log_softmax(emissions, dim=-1) if network.crf is None else emissions
        return scores.float().cpu().numpy(), torch.softmax(intent, dim=-1).float().cpu().numpy()

    cpu_times: dict[str, list[list[float]]] = {}
    wall_times: dict[str, list[list[float]]] = {}
    perf, cpu = time.perf_counter, time.process_time

    def timed(r: int, name: str, function: Callable, *arguments: Any) -> Any:
        started, started_cpu = perf(), cpu()
        value = function(*arguments)
        used, wall = cpu() - started_cpu, perf() - started
        cpu_times.setdefault(name, [[] for _ in range(rounds)])[r].append(1e6 * used)
        wall_times.setdefault(name, [[] for _ in range(rounds)])[r].append(1e6 * wall)
        return value

    for r in range(rounds):
        for s in sentences:
            tagger.parse([s])  # as warm as in a loop of requests
            timed(r, "parse([tokens]), the whole call", tagger.parse, [s])
            with torch.inference_mode():
                batch = timed(r, "featurize (Featurizer: word ids, trigram buckets, char ids)", tagger.featurizer, [s])
                parts = timed(r, "encoders, all three", encode, batch)
                for name, encoder in network.encoder.encoders.items():
                    timed(r, f"  encoder {name}", encoder, batch.features)
                x = torch.cat(list(parts.values()), dim=-1)
                hidden = timed(r, "recurrent: pack, BiLSTM, unpack", network.recurrent, x, batch.lengths)
                timed(r, "  nn.LSTM alone on the unpacked (1, T, D) tensor", network.recurrent.fused, x)
                scores, _ = timed(r, "heads: slot + pooled intent, softmaxes, to NumPy", heads, batch, hidden)
            emissions = scores[0, : len(s)].astype(np.float64)
            path, _ = timed(
                r,
                "decode, path only (pruned Viterbi, keep=10)",
                lambda e: decode(e, *chain, keep=keep, always=outside, marginals=False),
                emissions,
            )
            timed(
                r,
                "decode, path + marginals (what parse runs)",
                lambda e: decode(e, *chain, keep=keep, always=outside),
                emissions,
            )
            timed(r, "  chain_marginals on the full 120-label lattice", lambda e: chain_marginals(e, *chain), emissions)
            timed(r, "spans (bio_spans over the tags)", bio_spans, [tagger.tags[j] for j in path])

    def best_median(values: list[list[float]]) -> float:
        return min(float(np.median(per_round)) for per_round in values)

    return [(name, best_median(cpu_times[name]), best_median(wall_times[name])) for name in cpu_times]


def run_profile(args: argparse.Namespace) -> None:
    """Where ours spends a sentence: a step-by-step timing, then cProfile of single and batched calls."""
    import cProfile

    import torch

    torch.set_num_threads(1)
    from model import Tagger

    tagger = Tagger.load(args.model, device="cpu")
    _, dev = load_splits(args.data)
    sentences = [e.tokens for e in dev]
    for sentence in sentences:
        tagger.parse([sentence])
    lines = [
        f"Ours, one thread, {len(sentences)} ATIS dev sentences (mean {sum(map(len, sentences)) / len(sentences):.1f}"
        f" tokens); load average {load_average()}",
        "",
        f"Steps of parse([tokens]), median us per sentence (best of {args.rounds} rounds), no profiler:",
        "",
        f"{'CPU us':>9} {'wall us':>9}  step",
    ]
    for name, used, wall in stage_breakdown(tagger, sentences, args.rounds):
        lines.append(f"{used:9.1f} {wall:9.1f}  {name}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.rounds):
        for sentence in sentences:
            tagger.parse([sentence])
    profiler.disable()
    lines += [
        "",
        *_profile_table(profiler, args.rounds * len(sentences), args.profile_top, "sentence: parse([tokens])"),
    ]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.rounds):
        tagger.predict(sentences, batch_size=args.batch_size)
    profiler.disable()
    title = f"pass: predict(all {len(sentences)} dev sentences, batch_size={args.batch_size})"
    lines += ["", *_profile_table(profiler, args.rounds, args.profile_top, title)]
    text = "\n".join(lines)
    print(text)
    out = args.md_out.with_name("tagger_speed_profile.txt")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    print(f"\nwrote {out}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/atis"), help="holds train/ and dev/")
    parser.add_argument("--model", type=Path, default=None, help="our checkpoint (default: the bundled model)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="CPU thread counts to measure")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="add a GPU run of ours")
    parser.add_argument(
        "--systems",
        nargs="+",
        choices=SYSTEMS,
        default=list(SYSTEMS),
        help="what to measure (ours always): '--systems ours' skips training the peers, e.g. for a GPU machine",
    )
    parser.add_argument("--rounds", type=int, default=5, help="interleaved measuring rounds (best is reported)")
    parser.add_argument("--warmup", type=int, default=100, help="single-sentence calls before measuring")
    parser.add_argument("--batch-size", type=int, default=256, help="batch size for ours and spaCy's pipe")
    parser.add_argument(
        "--round-budget", type=float, default=60.0, help="seconds; a system slower than this per round is not repeated"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the measuring subprocesses, e.g. OMP_WAIT_POLICY=PASSIVE (repeatable)",
    )
    parser.add_argument("--seed", type=int, default=13, help="spaCy's training seed")
    parser.add_argument("--spacy-epochs", type=int, default=SPACY_SETTINGS["epochs"], help="spaCy training epochs")
    parser.add_argument("--cache", type=Path, default=Path("bench/.cache"), help="trained peers live here")
    parser.add_argument("--retrain", action="store_true", help="train the CRF and spaCy again")
    parser.add_argument("--json-out", type=Path, default=Path("bench/results/tagger_speed.json"))
    parser.add_argument("--md-out", type=Path, default=Path("bench/results/tagger_speed.md"))
    parser.add_argument("--profile", action="store_true", help="only profile ours' single-sentence parse()")
    parser.add_argument("--render", action="store_true", help="only re-render --md-out and the table from --json-out")
    parser.add_argument("--profile-top", type=int, default=30, help="functions listed by --profile")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--peers", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    SPACY_SETTINGS["epochs"] = args.spacy_epochs
    if args.worker:
        args.threads = args.threads[0]
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if "ours" not in args.systems:
        args.systems = ["ours", *args.systems]
    if args.worker:
        run_worker(args)
        return
    if args.profile:
        run_profile(args)
        return
    if args.render:
        report = json.loads(args.json_out.read_text())
        report["targets"], report["targets_cpu_time"] = check_targets(report)
        args.md_out.write_text(markdown(report))
        print_table(report)
        return
    if not (args.data / "train").is_dir() or not (args.data / "dev").is_dir():
        sys.exit(f"{args.data}: no train/ and dev/ split folders here; pass --data DIR (from the repo root)")
    import torch

    load_before = load_average()
    train, dev = load_splits(args.data)
    peers = prepare_peers(args, train, dev)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(peers, handle)
        peers_file = Path(handle.name)
    runs = [spawn_worker(args, peers_file, threads, "cpu") for threads in args.threads]
    if args.device in ("auto", "cuda"):
        if torch.cuda.is_available():
            runs.append(spawn_worker(args, peers_file, 1, "cuda"))
        else:
            print(f"note: --device {args.device}: no CUDA GPU here (torch {torch.__version__}); GPU run skipped")
    peers_file.unlink()
    report = {
        "meta": {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "command": " ".join(["python", *[str(a) for a in sys.argv]]),
            "cpu": cpu_name(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": load_average(),
            "python": platform.python_version(),
            "versions": {
                "torch": torch.__version__,
                "spacy": package_version("spacy"),
                "thinc": package_version("thinc"),
                "sklearn_crfsuite": package_version("sklearn-crfsuite"),
                "python_crfsuite": package_version("python-crfsuite"),
                "numpy": package_version("numpy"),
            },
            "dev_sentences": len(dev),
            "train_sentences": len(train),
            "rounds": args.rounds,
            "batch_size": args.batch_size,
            "thread_variables": list(THREAD_VARIABLES),
            "extra_env": list(args.env),
        },
        "peers": peers,
        "runs": runs,
    }
    report["targets"], report["targets_cpu_time"] = check_targets(report)
    for path in (args.json_out, args.md_out):
        path.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(report, indent=2) + "\n")
    args.md_out.write_text(markdown(report))
    print_table(report)
    print(f"\nwrote {args.json_out} and {args.md_out}")


if __name__ == "__main__":
    main()
